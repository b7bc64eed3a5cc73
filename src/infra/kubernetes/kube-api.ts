import fs from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';

/**
 * A minimal Kubernetes API client over node:https (@kubernetes/client-node is not a dependency
 * yet): requests with the admin kubeconfig's client certificate, watches read as a stream of JSON
 * lines, and a followed stream (pod logs) copied into a file.
 */
export interface KubeApi {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Resolves once the server has accepted the watch (headers received), so events after it are never missed. */
  watch(path: string): Promise<Watch>;
  /**
   * A streaming GET (`/log?follow=true`): its body, a container's log, is appended to `file`. `finish(graceMs)` lets the server end
   * the stream for up to graceMs (it does once the container has stopped), then cuts it, and
   * settles once the file has everything received: a crashed agent's last lines are its story.
   */
  follow(path: string, file: string): LogFollow;
}

export interface LogFollow {
  finish(graceMs?: number): Promise<void>;
}

export interface WatchEvent {
  type: string;
  object: Record<string, any>;
}

export interface Watch {
  /** Called for every event from now on (after those already seen); returns an unsubscribe. */
  onEvent(listener: (e: WatchEvent) => void): () => void;
  /** Settles when the server or the network ends the stream, or after close(). */
  readonly ended: Promise<void>;
  /** First event (new or already seen) that satisfies `test`; rejects after `timeoutMs`. */
  until(test: (e: WatchEvent) => boolean, timeoutMs: number): Promise<WatchEvent>;
  close(): void;
}

export function kubeApiFrom(kubeconfigFile: string): KubeApi {
  const config = parse(fs.readFileSync(kubeconfigFile, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority': string } }[];
    users: { user: { 'client-certificate': string; 'client-key': string } }[];
  };
  const server = new URL(config.clusters[0]!.cluster.server);
  const tls = {
    ca: fs.readFileSync(config.clusters[0]!.cluster['certificate-authority']),
    cert: fs.readFileSync(config.users[0]!.user['client-certificate']),
    key: fs.readFileSync(config.users[0]!.user['client-key']),
  };
  const options = (method: string, path: string) => ({ ...tls, method, hostname: server.hostname, port: server.port, path, headers: { 'content-type': 'application/json' } });

  return {
    request: (method, path, body) =>
      new Promise((resolve, reject) => {
        const req = https.request({ ...options(method, path), timeout: 30_000 }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            // Logs come back as plain text; everything else as JSON.
            const json = (res.headers['content-type'] ?? '').includes('json');
            try {
              resolve({ status: res.statusCode ?? 0, body: (json && text ? JSON.parse(text) : text) as never });
            } catch {
              reject(new Error(`${method} ${path}: HTTP ${res.statusCode}, an answer that is not JSON: ${text.slice(0, 200)}`));
            }
          });
          res.on('error', reject);
          res.on('aborted', () => reject(new Error(`${method} ${path}: the answer was cut off`)));
        });
        req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      }),
    watch: (path) =>
      new Promise((resolve, reject) => {
        const events: WatchEvent[] = [];
        const waiters = new Set<() => void>();
        const listeners = new Set<(e: WatchEvent) => void>();
        let end: () => void = () => undefined;
        const ended = new Promise<void>((r) => (end = r));
        const sep = path.includes('?') ? '&' : '?';
        const req = https.request(options('GET', `${path}${sep}watch=true`), (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            req.destroy();
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            return;
          }
          let partial = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const lines = (partial + chunk).split('\n');
            partial = lines.pop() ?? '';
            for (const line of lines.filter(Boolean)) {
              let event: WatchEvent;
              try {
                event = JSON.parse(line) as WatchEvent;
              } catch {
                // A line that is not an event ends this watch; its owner re-watches (pod-watch.ts).
                req.destroy();
                return;
              }
              events.push(event);
              for (const listener of listeners) listener(event);
            }
            for (const wake of waiters) wake();
          });
          res.on('end', end);
          res.on('close', end);
          res.on('error', end);
          resolve({
            onEvent: (listener) => {
              listeners.add(listener);
              return () => listeners.delete(listener);
            },
            ended,
            until: (test, timeoutMs) =>
              new Promise((done, fail) => {
                const check = () => {
                  const hit = events.find(test);
                  if (!hit) return;
                  clearTimeout(timer);
                  waiters.delete(check);
                  done(hit);
                };
                const timer = setTimeout(() => {
                  waiters.delete(check);
                  fail(new Error(`watch ${path}: no matching event within ${timeoutMs} ms (${events.length} events seen)`));
                }, timeoutMs);
                waiters.add(check);
                check();
              }),
            close: () => req.destroy(),
          });
        });
        req.on('error', (e) => {
          end();
          reject(e);
        });
        req.end();
      }),
    follow: (path, file) => {
      const out = fs.createWriteStream(file, { flags: 'a' });
      // 'close' comes after an error too (autoDestroy): the file is done either way.
      const written = new Promise<void>((resolve) => out.on('close', () => resolve()));
      // A log that cannot be followed costs the failure message its tail, never the drill.
      out.on('error', () => req.destroy());
      const req = https.request(options('GET', path), (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          out.end();
          return;
        }
        res.pipe(out);
      });
      req.on('error', () => out.end());
      req.end();
      return {
        finish: async (graceMs = 0) => {
          if (graceMs > 0) {
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([written, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
            clearTimeout(timer);
          }
          req.destroy();
          out.end();
          await written;
        },
      };
    },
  };
}
