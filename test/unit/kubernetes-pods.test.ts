import { describe, expect, it } from 'vitest';
import { exitOf, viewOf, withMachineWitnesses } from '../../src/infra/kubernetes/pods/pod-status.ts';
import { platformEvent } from '../../src/infra/kubernetes/namespace-events.ts';
import { eventRows } from '../../src/report/event-rows.ts';
import { dnsLabel, podManifest } from '../../src/infra/kubernetes/pods/pod-spec.ts';
import type { LaunchRequest } from '../../src/fleet/launcher.ts';

const pod = (status: Record<string, unknown>) => ({ metadata: { name: 'agent-inventory-1-1' }, status });

describe('a pod as the launcher reads it from the watch', () => {
  it('running once its container runs, with the runtime id without its scheme', () => {
    expect(viewOf('MODIFIED', pod({ phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] }))).toEqual({ kind: 'pending' });
    expect(viewOf('MODIFIED', pod({ phase: 'Running', containerStatuses: [{ containerID: 'containerd://abc123', state: { running: { startedAt: 'x' } } }] }))).toEqual({ kind: 'running', containerId: 'abc123' });
  });

  it('a SIGKILL exit is 137/SIGKILL, not an OOM; the kubelet OOMKilled reason is its witness', () => {
    const killed = viewOf('MODIFIED', pod({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137, reason: 'Error' } } }] }));
    expect(killed).toEqual({ kind: 'ended', status: { code: 137, signal: 'SIGKILL', oomKilled: false, oomEvidence: { saw: [], sawNone: ['kubelet'], disagree: false } } });
    const oom = viewOf('MODIFIED', pod({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }));
    expect(oom).toMatchObject({ kind: 'ended', status: { oomKilled: true, oomEvidence: { saw: ['kubelet'] } } });
    expect(viewOf('MODIFIED', pod({ containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }))).toEqual({ kind: 'ended', status: { code: 0, signal: null, oomKilled: false } });
  });

  it('an image the node does not have, a deleted pod, or an evicted one ends the launch with the reason', () => {
    expect(viewOf('MODIFIED', pod({ containerStatuses: [{ state: { waiting: { reason: 'ErrImageNeverPull', message: 'not present' } } }] }))).toEqual({
      kind: 'ended',
      status: { code: null, signal: null, error: 'ErrImageNeverPull: not present' },
    });
    expect(viewOf('DELETED', pod({}))).toMatchObject({ kind: 'ended', status: { error: 'its pod was deleted' } });
    expect(viewOf('MODIFIED', pod({ phase: 'Failed', reason: 'Evicted' }))).toMatchObject({ kind: 'ended', status: { error: 'pod failed: Evicted' } });
  });
});

describe('the pod made for one instance', () => {
  const request: LaunchRequest = { instanceId: 'inventory-1', agent: 'inventory', env: { KAFKA_BROKERS: '127.0.0.1:9092' }, adminPort: 12345, heapMb: undefined, logFile: '/tmp/x/logs/inventory-1.log' };

  it('hostNetwork, never pulled, never restarted by the kubelet, state at the same path, the limit and the drill labels', () => {
    const manifest = podManifest({ name: 'agent-inventory-1-1', drillId: 'Kill_Consumer-2026', request, image: { name: 'acme/inv:1', memoryMb: 96, mounts: ['/tmp/x/state/inventory-1'] }, env: request.env }) as { metadata: { labels: Record<string, string> }; spec: Record<string, any> };
    expect(manifest.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'agentdrill', 'agentdrill.io/drill': 'kill-consumer-2026', 'agentdrill.io/instance': 'inventory-1' });
    expect(manifest.spec).toMatchObject({ restartPolicy: 'Never', hostNetwork: true });
    const [container] = manifest.spec.containers;
    expect(container).toMatchObject({ image: 'acme/inv:1', imagePullPolicy: 'Never', env: [{ name: 'KAFKA_BROKERS', value: '127.0.0.1:9092' }], resources: { limits: { memory: '96Mi' } } });
    expect(container.volumeMounts).toEqual([{ name: 'state-0', mountPath: '/tmp/x/state/inventory-1' }]);
    expect(manifest.spec.volumes).toEqual([{ name: 'state-0', hostPath: { path: '/tmp/x/state/inventory-1', type: 'DirectoryOrCreate' } }]);
  });

  it('names and label values are DNS labels', () => {
    expect(dnsLabel('ad-Drill_ID.x--')).toBe('ad-drill-id-x');
    expect(dnsLabel('a'.repeat(80))).toHaveLength(63);
  });
});

describe("the cluster's events as the journal keeps them", () => {
  it('names the object, keeps the count (core/v1 count or the newer series), and renders as a report row', () => {
    const scheduled = platformEvent({ type: 'Normal', reason: 'Scheduled', involvedObject: { kind: 'Pod', name: 'agent-scorer-1-4' }, message: 'Successfully assigned', source: { component: 'default-scheduler' } });
    expect(scheduled).toEqual({ source: 'kubernetes', type: 'Normal', reason: 'Scheduled', object: 'pod/agent-scorer-1-4', message: 'Successfully assigned', count: 1, component: 'default-scheduler' });
    const backoff = platformEvent({ type: 'Warning', reason: 'BackOff', involvedObject: { kind: 'Pod', name: 'p' }, message: 'Back-off restarting', series: { count: 7 }, reportingComponent: 'kubelet' });
    expect(backoff).toMatchObject({ count: 7, component: 'kubelet' });
    const rows = eventRows([{ type: 'platform.event', at: 2500, payload: backoff }], 0);
    expect(rows).toEqual([{ offset: expect.any(String), type: 'platform.event', detail: 'kubernetes Warning BackOff pod/p (×7): Back-off restarting' }]);
  });
});

describe("a pod's 137 exit judged with the machine's witness too", () => {
  const oom = exitOf(137, 'OOMKilled');
  const killed = exitOf(137, 'Error');
  it('the kernel log agreeing with the kubelet confirms it; the cgroup reading goes along as figures', () => {
    expect(withMachineWitnesses(oom, { cgroup: { oomKills: 0, limitHits: 12 }, kernelLog: true })).toEqual({
      code: 137,
      signal: 'SIGKILL',
      oomKilled: true,
      oomEvidence: { saw: ['kubelet', 'kernelLog'], sawNone: [], disagree: false, cgroup: { oomKills: 0, limitHits: 12 } },
    });
  });
  it('either witness alone decides, and a disagreement is kept; a kernel log that could not be read is no witness', () => {
    expect(withMachineWitnesses(killed, { cgroup: undefined, kernelLog: true })).toMatchObject({ oomKilled: true, oomEvidence: { saw: ['kernelLog'], sawNone: ['kubelet'], disagree: true } });
    expect(withMachineWitnesses(oom, { cgroup: undefined, kernelLog: false })).toMatchObject({ oomKilled: true, oomEvidence: { saw: ['kubelet'], sawNone: ['kernelLog'], disagree: true } });
    expect(withMachineWitnesses(killed, { cgroup: undefined, kernelLog: undefined })).toMatchObject({ oomKilled: false, oomEvidence: { saw: [], sawNone: ['kubelet'] } });
    expect(withMachineWitnesses(exitOf(0, 'Completed'), { cgroup: undefined, kernelLog: true })).toEqual({ code: 0, signal: null, oomKilled: false });
  });
});
