// The client moved to src (the kubernetes provider uses it); tests import it from here as before.
export { kubeApiFrom, type KubeApi, type Watch, type WatchEvent } from '../../src/infra/kubernetes/kube-api.ts';
