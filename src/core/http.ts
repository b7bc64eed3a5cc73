import http from 'node:http';
import https from 'node:https';

/**
 * The harness's HTTP client for what it reads several times a second for a whole drill: agents'
 * admin and /metrics endpoints, health probes. Plain node:http over kept-alive sockets, because
 * `fetch` built WHATWG streams, an abort signal and, for every refused probe, an exception chain
 * per call: measured on a kill-consumer drill, the fetch-based /metrics scrapes and health probes
 * cost the harness about 3 s of CPU a minute, as much as all its Kafka admin calls.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 4, keepAliveMsecs: 1000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 4, keepAliveMsecs: 1000 }),
};

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface HttpOptions {
  method?: 'GET' | 'POST';
  body?: string;
  headers?: http.OutgoingHttpHeaders;
  /** The whole exchange, not just the socket's idleness: an endpoint that drips its answer is as stuck as one that never answers. */
  timeoutMs: number;
  /** Ends the exchange early (a closing scraper). */
  signal?: AbortSignal;
  /** A longer body fails the call: an endpoint that streams without end costs one failed read, never the harness's memory. */
  maxBytes?: number;
}

/** Rejects with an Error named TimeoutError when `timeoutMs` passes, as `AbortSignal.timeout` does. */
export async function httpRequest(url: string, options: HttpOptions): Promise<HttpAnswer> {
  const startedAt = performance.now();
  try {
    return await once(url, options);
  } catch (e) {
    // A kept-alive socket to a server that has since restarted on the same port is reset on
    // first use: that is the socket's age, not the server's health, so it gets one fresh try,
    // within what is left of the caller's timeout (never twice the time it asked for).
    const leftMs = Math.floor(options.timeoutMs - (performance.now() - startedAt));
    if ((e as { reusedSocket?: boolean }).reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET' && leftMs > 0) return once(url, { ...options, timeoutMs: leftMs });
    throw e;
  }
}

function once(url: string, o: HttpOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const client = target.protocol === 'https:' ? https : http;
    const headers: http.OutgoingHttpHeaders = { ...o.headers };
    if (o.body !== undefined) headers['content-length'] = Buffer.byteLength(o.body);
    let settled = false;
    const finish = (error: Error | undefined, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(answer!);
    };
    const req = client.request(target, { method: o.method ?? 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.byteLength;
        if (o.maxBytes !== undefined && bytes > o.maxBytes) req.destroy(new Error(`the page is larger than ${o.maxBytes} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish(e));
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`${o.method ?? 'GET'} ${url}: no answer within ${o.timeoutMs} ms`), { name: 'TimeoutError' })), o.timeoutMs);
    const onAbort = () => req.destroy(Object.assign(new Error(`${o.method ?? 'GET'} ${url}: aborted`), { name: 'AbortError' }));
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => finish(Object.assign(e, { reusedSocket: req.reusedSocket })));
    req.end(o.body);
  });
}
