export { KubernetesCluster, StartedKubernetesCluster, type KubernetesClusterOptions } from './cluster.ts';
export { isClean, leftoversOf, type ClusterFootprint, type Leftovers } from './host-sweep.ts';
export { provisionKubernetes } from './provision.ts';
export { buildStaticImage } from './static-image.ts';
export { kubernetesCacheDir, kubernetesVersions, type KubernetesBinaries } from './versions.ts';
