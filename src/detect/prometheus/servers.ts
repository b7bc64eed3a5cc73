import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../../core/ports.ts';
import type { TetheredChild } from '../../infra/local/child-process.ts';
import { PrometheusApi } from './api.ts';
import { renderAlertmanagerConfig, renderPrometheusConfig, type AlertmanagerConfigInput, type PrometheusConfigInput } from './config.ts';
import { startDaemon } from './daemon.ts';

const host = '127.0.0.1';
const startTimeoutMs = 60_000;

/**
 * Lifecycle as types: a configured server has a port and a config file, a started one a process
 * and an API. Only a started one can be asked or stopped.
 */
export class ConfiguredAlertmanager {
  private constructor(readonly bin: string, readonly dir: string, readonly port: number) {}

  static async configure(o: { bin: string; dir: string } & AlertmanagerConfigInput): Promise<ConfiguredAlertmanager> {
    await mkdir(o.dir, { recursive: true });
    await writeFile(path.join(o.dir, 'alertmanager.yml'), renderAlertmanagerConfig(o));
    return new ConfiguredAlertmanager(o.bin, o.dir, await freePort(host));
  }

  get address(): string {
    return `${host}:${this.port}`;
  }

  async start(signal?: AbortSignal): Promise<StartedAlertmanager> {
    const url = `http://${this.address}`;
    const child = await startDaemon({
      name: 'alertmanager',
      bin: this.bin,
      args: [
        `--config.file=${path.join(this.dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(this.dir, 'data')}`,
        `--web.listen-address=${this.address}`,
        // Empty: no gossip listener on 0.0.0.0:9094; one Alertmanager, as in a single-node setup.
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      dir: this.dir,
      url,
      timeoutMs: startTimeoutMs,
      ...(signal ? { signal } : {}),
    });
    return new StartedAlertmanager(url, child);
  }
}

export class StartedAlertmanager {
  constructor(readonly url: string, private readonly child: TetheredChild) {}

  get pid(): number {
    return this.child.pid;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}

export class ConfiguredPrometheus {
  private constructor(readonly bin: string, readonly dir: string, readonly port: number) {}

  static async configure(o: { bin: string; dir: string } & Omit<PrometheusConfigInput, never>): Promise<ConfiguredPrometheus> {
    await mkdir(o.dir, { recursive: true });
    await writeFile(path.join(o.dir, 'prometheus.yml'), renderPrometheusConfig(o));
    return new ConfiguredPrometheus(o.bin, o.dir, await freePort(host));
  }

  async start(signal?: AbortSignal): Promise<StartedPrometheus> {
    const url = `http://${host}:${this.port}`;
    const child = await startDaemon({
      name: 'prometheus',
      bin: this.bin,
      args: [
        `--config.file=${path.join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(this.dir, 'data')}`,
        `--web.listen-address=${host}:${this.port}`,
        '--storage.tsdb.retention.time=1d',
        '--log.level=warn',
      ],
      dir: this.dir,
      url,
      timeoutMs: startTimeoutMs,
      ...(signal ? { signal } : {}),
    });
    return new StartedPrometheus(new PrometheusApi(url), child);
  }
}

export class StartedPrometheus {
  constructor(readonly api: PrometheusApi, private readonly child: TetheredChild) {}

  get pid(): number {
    return this.child.pid;
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
