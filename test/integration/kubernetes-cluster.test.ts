import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/core/settings.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildStaticImage, isClean, KubernetesCluster, leftoversOf, provisionKubernetes, type StartedKubernetesCluster } from '../../src/infra/kubernetes/index.ts';
import { kubeApiFrom, type KubeApi, type WatchEvent } from '../helpers/kube-api.ts';
import { AgentdrillError } from '../../src/core/errors.ts';
import { exitCodeForError } from '../../src/core/exit-codes.ts';
import { createDrillNamespace, requireDrillNamespace } from '../../src/infra/kubernetes/namespace-guard.ts';
import { podLauncher } from '../../src/infra/kubernetes/pods/pod-launcher.ts';
import { processesMentioning } from '../../src/infra/kubernetes/host-cleanup.ts';
import { startPressure } from '../../src/faults/container-pressure.ts';
import { pressureBinary } from '../../src/faults/pressure/binary.ts';
import type { InstanceInfo } from '../../src/fleet/types.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/**
 * A real single-node cluster from the per-user cache (built on first use: about 20 min on two
 * cores), with real pods: a Deployment's pod runs, a deleted pod is replaced by its ReplicaSet, a
 * pod over its memory limit is OOM-killed and the API says so; and stop() leaves nothing behind.
 */
const probeImage = 'agentdrill.local/probe:1';
const namespace = 'agentdrill-cluster-test';
const log = (m: string) => console.log(`[kubernetes] ${m}`);
/** Fixed paths a kubelet, containerd or CNI plugin creates by default: the node must not create them on the machine. */
const defaultPaths = ['/var/lib/kubelet', '/var/lib/cni', '/var/log/containers', '/var/log/pods', '/usr/libexec/kubernetes', '/etc/kubernetes', '/var/run/kubernetes', '/etc/cni', '/opt/cni'];
const absentBefore = defaultPaths.filter((p) => !fs.existsSync(p));

describe('local Kubernetes cluster', () => {
  let cluster: StartedKubernetesCluster | undefined;
  let api: KubeApi;
  let workDir: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-k8s-test-'));
    let t = Date.now();
    const binaries = await provisionKubernetes(settingsFromEnv(), log);
    timings.provisionMs = Date.now() - t;
    const probeTar = path.join(workDir, 'probe.tar');
    await buildStaticImage({ source: path.join(import.meta.dirname, '../fixtures/kubernetes/probe.c'), image: probeImage, binaryPath: '/probe', outFile: probeTar, workDir: path.join(workDir, 'probe') });
    t = Date.now();
    cluster = await new KubernetesCluster({ binaries, images: [probeTar], progress: log }).start();
    timings.startMs = Date.now() - t;
    log(`provision ${timings.provisionMs} ms, start ${timings.startMs} ms`);
    api = kubeApiFrom(cluster.kubeconfig);
    expect((await api.request('POST', '/api/v1/namespaces', { metadata: { name: namespace } })).status).toBe(201);
  }, 90 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const pods = `/api/v1/namespaces/${namespace}/pods`;
  const running = (name?: string) => (e: WatchEvent) =>
    e.type !== 'DELETED' && e.object.status?.phase === 'Running' && (name === undefined || e.object.metadata.name !== name) && e.object.status?.containerStatuses?.[0]?.ready === true;

  it('runs a Deployment of an imported image, and the ReplicaSet replaces a deleted pod', async () => {
    // Watches first: on the API's stream, an event after the watch began is never missed.
    const podWatch = await api.watch(`${pods}?labelSelector=app%3Dprobe`);
    try {
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'probe' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'probe' } },
          template: {
            metadata: { labels: { app: 'probe' } },
            spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'probe', image: probeImage, imagePullPolicy: 'Never', args: ['idle'] }] },
          },
        },
      };
      let t = Date.now();
      expect((await api.request('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, deployment)).status).toBe(201);
      const first = await podWatch.until(running(), 120_000);
      timings.firstPodRunningMs = Date.now() - t;
      const firstName = first.object.metadata.name as string;
      expect(first.object.spec.nodeName).toBe(cluster!.nodeName);
      expect(first.object.status.podIP).toMatch(/^10\.\d+\.\d+\.\d+$/);

      t = Date.now();
      expect((await api.request('DELETE', `${pods}/${firstName}`)).status).toBe(200);
      const replacement = await podWatch.until(running(firstName), 120_000);
      timings.replacementRunningMs = Date.now() - t;
      expect(replacement.object.metadata.ownerReferences[0].kind).toBe('ReplicaSet');
      const logs = await api.request('GET', `${pods}/${replacement.object.metadata.name}/log`);
      log(`first pod running after ${timings.firstPodRunningMs} ms, replacement after ${timings.replacementRunningMs} ms`);
      // Through the API server to the kubelet on the node IP, as `kubectl logs` reads it.
      expect(logs.status).toBe(200);
      expect(logs.body).toContain('probe running');
    } finally {
      podWatch.close();
    }
  }, 300_000);

  it('reports OOMKilled when a container allocates past its memory limit', async () => {
    const podWatch = await api.watch(`${pods}?fieldSelector=metadata.name%3Dhog`);
    try {
      const pod = {
        metadata: { name: 'hog' },
        spec: {
          restartPolicy: 'Always',
          containers: [{ name: 'hog', image: probeImage, imagePullPolicy: 'Never', args: ['hog'], resources: { limits: { memory: '32Mi' } } }],
        },
      };
      const t = Date.now();
      expect((await api.request('POST', pods, pod)).status).toBe(201);
      const oom = await podWatch.until((e) => e.object.status?.containerStatuses?.[0]?.lastState?.terminated?.reason === 'OOMKilled', 120_000);
      log(`OOMKilled reported after ${Date.now() - t} ms`);
      expect(oom.object.status.containerStatuses[0].lastState.terminated.exitCode).toBe(137);
    } finally {
      podWatch.close();
    }
  }, 300_000);

  it('the namespace guard refuses a namespace without the opt-in label (exit 2) and lets a labelled one through', async () => {
    const refused = await requireDrillNamespace(api, namespace).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AgentdrillError);
    expect((refused as AgentdrillError).code).toBe('NAMESPACE_REFUSED');
    expect(exitCodeForError((refused as AgentdrillError).code)).toBe(2);
    expect(((await requireDrillNamespace(api, 'no-such-namespace').catch((e: unknown) => e)) as AgentdrillError).code).toBe('NAMESPACE_REFUSED');
    await createDrillNamespace(api, 'agentdrill-guard-test', 'guard-test');
    await expect(requireDrillNamespace(api, 'agentdrill-guard-test')).resolves.toBeUndefined();
  }, 60_000);

  it("runs a fleet instance as a pod: signals reach its process by host pid, the exit comes from the API's watch, the pod goes after", async () => {
    await createDrillNamespace(api, 'agentdrill-pods-test', 'pods-test');
    const launcher = podLauncher({ api, cluster: cluster!, namespace: 'agentdrill-pods-test', drillId: 'pods-test', namePrefix: 'agent', ensureImage: () => Promise.resolve() });
    try {
      const request = (id: string) => ({ instanceId: id, agent: 'probe', env: { AGENT_ID: id }, adminPort: 1, heapMb: undefined, logFile: path.join(workDir, 'logs', `${id}.log`), image: { name: probeImage, memoryMb: 32, mounts: [path.join(workDir, 'state', id)] } });
      const term = await launcher.launch(request('probe-1'));
      expect(term.pid).toBeGreaterThan(0);
      // `ctl exec` reaches the container through the node's runtime (the image has no shell: its runtime's error comes back).
      const exec = await launcher.exec(request('probe-1'), term, ['/no-such-tool'], 20_000);
      expect(exec.timedOut).toBe(false);
      expect(exec.exitCode).not.toBe(0);
      expect(exec.output).toMatch(/no-such-tool/);
      expect(fs.readFileSync(`/proc/${term.pid}/cmdline`, 'utf8')).toContain('/probe');
      expect(term.container).toMatchObject({ name: 'agent-probe-1-1', memoryLimitMb: 32 });
      expect(term.signal('SIGTERM')).toBe(true);
      expect(await term.exited).toEqual({ code: 0, signal: null, oomKilled: false });
      expect((await api.request('GET', '/api/v1/namespaces/agentdrill-pods-test/pods/agent-probe-1-1')).status).toBe(404);
      expect(fs.readFileSync(path.join(workDir, 'logs', 'probe-1.log'), 'utf8')).toContain('probe running');

      const kill = await launcher.launch(request('probe-2'));
      expect(kill.signal('SIGKILL')).toBe(true);
      expect(await kill.exited).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: false, oomEvidence: { sentSignal: 'SIGKILL' } });
      expect(kill.signal('SIGKILL')).toBe(false);

      // Memory pressure for an agent whose code the drill cannot change: the program joins the pod's memory cgroup from outside, the kernel kills the agent at the limit, the API says OOMKilled, and the program goes with the container.
      // An agent holding 8 MB, as any real one holds more: a 100 KB probe would lose to the program's own mapped pages.
      const hog = await launcher.launch({ ...request('probe-3'), env: { AGENT_ID: 'probe-3', PROBE_HOLD_MB: '8' }, image: { ...request('probe-3').image, memoryMb: 48 } });
      const grown = await startPressure(instanceOf('probe-3', hog), 64, await pressureBinary(settingsFromEnv().cacheDir));
      expect(grown).toEqual({ container: 'agent-probe-3-3', preferred: 1 });
      // At most one: the kernel may already have killed the container, and the program with it, by now (CI saw 0).
      expect(processesMentioning('agentdrill-pressure-').length).toBeLessThanOrEqual(1);
      expect(await hog.exited).toMatchObject({ code: 137, signal: 'SIGKILL', oomKilled: true, oomEvidence: { saw: ['kubelet', 'kernelLog'], sawNone: [] } });
      expect(await waitUntil(() => processesMentioning('agentdrill-pressure-').length === 0, 10_000), 'the pressure program went with its container').toBe(true);
    } finally {
      launcher.close();
    }
  }, 180_000);

  it('stops every process and leaves no mount, cgroup, interface or folder behind', async () => {
    const c = cluster!;
    const bridge = c.bridge;
    const podInterfaces = execFileSync('ip', ['-o', 'link', 'show', 'master', bridge], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(':')[1]!.trim().split('@')[0]!);
    expect(podInterfaces.length).toBeGreaterThan(0);
    const t = Date.now();
    const left = await c.stop();
    log(`stopped in ${Date.now() - t} ms`);
    expect(left).toEqual({ processes: [], mounts: [], cgroups: [], interfaces: [], dirs: [] });
    expect(isClean(left)).toBe(true);
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    for (const name of [bridge, ...podInterfaces]) expect(links).not.toContain(`${name}@`);
    expect(links).not.toContain(`${bridge}:`);
    // No process of the node or control plane anywhere, named or by its folder.
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(c.dir);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(c.dir);
    expect(absentBefore.filter((p) => fs.existsSync(p))).toEqual([]);
  }, 120_000);

  it('leaves nothing when its process dies of SIGINT with no handler (the reaper sweeps)', async () => {
    const { child, exited, footprint } = await holdCluster();
    try {
      expect(isClean(leftoversOf(footprint))).toBe(false);
      child.kill('SIGINT');
      await exited;
      let left = leftoversOf(footprint);
      for (let i = 0; i < 60 && !isClean(left); i++) {
        await sleep(500);
        left = leftoversOf(footprint);
      }
      expect(left).toEqual({ processes: [], mounts: [], cgroups: [], interfaces: [], dirs: [] });
    } finally {
      child.kill('SIGKILL');
    }
  }, 240_000);

  it('infra gc --provider kubernetes keeps a running drill\'s cluster, and removes one whose harness and reaper were both SIGKILLed', async () => {
    // A temp folder as deep as a nested CI job's: the cluster goes to /tmp, where its sockets fit, and gc looks there too.
    const deep = tempDir(`agentdrill-gc-${'x'.repeat(40)}-`);
    const { child, exited, footprint } = await holdCluster({ TMPDIR: deep });
    try {
      expect(path.dirname(footprint.dir)).toBe('/tmp');
      const gc = () => runCli(['infra', 'gc', '--provider', 'kubernetes'], { env: { TMPDIR: deep } });
      const kept = await gc();
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stdout).toContain(`kept cluster ${footprint.dir} (its drill is still running)`);
      expect(fs.existsSync(footprint.dir)).toBe(true);
      // Both at once, as `kill -9` of the whole process group does: nothing of the harness is left to sweep.
      for (const p of processesMentioning('agentdrill-k8s-reaper').filter((p) => p.args.includes(footprint.dir))) process.kill(p.pid, 'SIGKILL');
      child.kill('SIGKILL');
      await exited;
      await sleep(2000);
      const left = leftoversOf(footprint);
      expect(isClean(left), 'the cluster left something for gc to find').toBe(false);
      const removed = await gc();
      expect(removed.code, removed.stderr).toBe(0);
      // Other clusters in /tmp (another suite's) may be listed too: this one must be removed.
      expect(removed.stdout.split('\n')).toContain(`removed cluster ${footprint.dir}`);
      expect(leftoversOf(footprint)).toEqual({ processes: [], mounts: [], cgroups: [], interfaces: [], dirs: [] });
      expect((await gc()).stdout).not.toContain(footprint.dir);
    } finally {
      child.kill('SIGKILL');
    }
  }, 240_000);
});

function instanceOf(id: string, launched: { pid: number | undefined; container?: InstanceInfo['container'] }): InstanceInfo {
  return { id, agent: 'probe', pid: launched.pid, state: 'running', restarts: 0, adminUrl: '', ...(launched.container ? { container: launched.container } : {}) };
}

async function waitUntil(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!test() && Date.now() < deadline) await sleep(200);
  return test();
}

/** A cluster held by a child process (test/fixtures/kubernetes/hold-cluster.ts), which prints its footprint once it is up. */
async function holdCluster(env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../fixtures/kubernetes/hold-cluster.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no footprint line within 120 s: ${out}`)), 120_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]!);
      }
    });
  }).catch((e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  const footprint = { ...(JSON.parse(line) as { dir: string; bridge: string; cgroupRoot: string }), ip: 'ip' };
  return { child, exited, footprint };
}
