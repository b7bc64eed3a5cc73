import { describe, expect, it } from 'vitest';
import { clusterParentDir } from '../../src/infra/kubernetes/cluster-gc.ts';

describe("where a local cluster's folder goes", () => {
  it('in the temp folder, unless containerd\'s sockets would not fit in a unix socket path there', () => {
    expect(clusterParentDir('/tmp')).toBe('/tmp');
    expect(clusterParentDir('/tmp/agentdrill-test-run-bCxnAS')).toBe('/tmp/agentdrill-test-run-bCxnAS');
    // containerd refuses a socket path over 104 bytes: a nested CI temp folder is too deep.
    expect(clusterParentDir(`/tmp/agentdrill-test-run-bCxnAS/agentdrill-gc-${'x'.repeat(40)}`)).toBe('/tmp');
  });
});
