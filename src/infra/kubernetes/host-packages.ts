import fs from 'node:fs';
import path from 'node:path';
import { AgentdrillError } from '../../core/errors.ts';
import { findExecutable, isExecutableFile, runTool } from '../local/host-tools.ts';
import type { Progress } from '../provider.ts';

/** Debian's CNI plugins live here; the node uses bridge, host-local and loopback. */
export const cniBinDir = '/usr/lib/cni';
const cniPlugins = ['bridge', 'host-local', 'loopback'];

/** The node's runtime comes from the distribution: containerd 1.6 and runc 1.1 from Debian 12 are verified. */
const nodePackages = ['containerd', 'runc', 'containernetworking-plugins'];
const nodeTools = ['containerd', 'containerd-shim-runc-v2', 'runc', 'ctr'];

export function requireExecutable(name: string, purpose: string, install: string): string {
  const found = findExecutable(name);
  if (found) return found;
  throw new AgentdrillError('TOOL_MISSING', `\`${name}\` was not found on PATH; it is needed to ${purpose}`, { hint: `Install it, e.g. \`${install}\``, context: { tool: name } });
}

function missingNodeParts(): string[] {
  const tools = nodeTools.filter((t) => !findExecutable(t));
  const plugins = cniPlugins.filter((p) => !isExecutableFile(path.join(cniBinDir, p))).map((p) => `${cniBinDir}/${p}`);
  return [...tools, ...plugins];
}

/**
 * containerd, runc and the CNI plugins, installed with apt-get when missing and we are root (as
 * the test command installs Chromium and Prometheus); otherwise one message naming what to install.
 */
export async function ensureNodePackages(progress: Progress): Promise<void> {
  const missing = missingNodeParts();
  if (missing.length === 0) return;
  const aptGet = findExecutable('apt-get');
  if (process.getuid?.() !== 0 || !aptGet) {
    throw new AgentdrillError('TOOL_MISSING', `The Kubernetes node needs ${missing.join(', ')}`, {
      hint: `As root: apt-get update && apt-get install -y ${nodePackages.join(' ')}`,
    });
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  progress(`Installing ${nodePackages.join(', ')} with apt-get (first run only)…`);
  await runTool(aptGet, ['update'], { env, what: 'apt-get update', timeoutMs: 10 * 60_000 });
  await runTool(aptGet, ['install', '-y', '--no-install-recommends', ...nodePackages], { env, what: `apt-get install ${nodePackages.join(' ')}`, timeoutMs: 10 * 60_000 });
  const still = missingNodeParts();
  if (still.length > 0) throw new AgentdrillError('TOOL_MISSING', `apt-get installed ${nodePackages.join(', ')} but ${still.join(', ')} is still missing`);
}

/** Tools the cluster's start and stop call: all from util-linux, iproute2 and openssl. */
export function requireClusterTools(): { unshare: string; nsenter: string; ip: string; openssl: string; ctr: string; containerd: string } {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new AgentdrillError('TOOL_MISSING', 'A local Kubernetes node needs Linux and root (cgroups, mounts, a network bridge)', {
      hint: 'Run as root on Linux, e.g. in the CI job or a VM',
    });
  }
  if (!fs.existsSync('/sys/fs/cgroup/memory')) {
    throw new AgentdrillError('TOOL_MISSING', 'The local Kubernetes node is verified on cgroup v1 only, and /sys/fs/cgroup/memory does not exist', {
      hint: 'Use a machine with cgroup v1 hierarchies (the project CI kind)',
    });
  }
  return {
    unshare: requireExecutable('unshare', 'give the node its own mount namespace', 'apt-get install -y util-linux'),
    nsenter: requireExecutable('nsenter', 'run the kubelet in the node mount namespace', 'apt-get install -y util-linux'),
    ip: requireExecutable('ip', 'make the node network bridge', 'apt-get install -y iproute2'),
    openssl: requireExecutable('openssl', 'make the cluster certificates', 'apt-get install -y openssl'),
    ctr: requireExecutable('ctr', 'import images into the node', 'apt-get install -y containerd'),
    containerd: requireExecutable('containerd', 'run the node\'s containers', 'apt-get install -y containerd'),
  };
}
