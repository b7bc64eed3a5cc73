import path from 'node:path';

/**
 * The parts of the single-node cluster and the releases built. Kubernetes 1.34.4 with its
 * staging modules at v0.34.4, etcd 3.6.4 and crictl 1.34.0 are the combination verified on this
 * kind of machine (Debian's etcd 3.4 is too old for the 1.34 API server).
 */
export const kubernetesVersions = {
  kubernetes: 'v1.34.4',
  staging: 'v0.34.4',
  etcd: 'v3.6.4',
  crictl: 'v1.34.0',
} as const;

/** Bumped when the pause image's source or packing changes, so the cache rebuilds it. */
export const pauseImageRevision = 1;
export const pauseImage = `agentdrill.local/pause:${pauseImageRevision}`;

export const controlPlaneBinaries = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export const nodeBinaries = ['kubelet'] as const;

/** One cache folder per combination of versions: changing any of them builds anew beside the old one. */
export function kubernetesCacheDir(cacheDir: string): string {
  const v = kubernetesVersions;
  return path.join(cacheDir, `kubernetes-${v.kubernetes}-etcd-${v.etcd}-crictl-${v.crictl}-pause-${pauseImageRevision}`);
}

/** kubectl for runbook steps, in a folder of its own: the cluster's cache stays valid without it. */
export function kubectlCacheDir(cacheDir: string): string {
  return path.join(cacheDir, `kubectl-${kubernetesVersions.kubernetes}`);
}

export interface KubernetesBinaries {
  dir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubelet: string;
  crictl: string;
  /** docker-archive tarball of the pause image, imported into each cluster's containerd. */
  pauseImageTar: string;
}

export function binariesIn(dir: string): KubernetesBinaries {
  const bin = (name: string) => path.join(dir, 'bin', name);
  return {
    dir,
    etcd: bin('etcd'),
    kubeApiserver: bin('kube-apiserver'),
    kubeControllerManager: bin('kube-controller-manager'),
    kubeScheduler: bin('kube-scheduler'),
    kubelet: bin('kubelet'),
    crictl: bin('crictl'),
    pauseImageTar: path.join(dir, 'images', 'pause.tar'),
  };
}
