import http from 'node:http';

/**
 * The harness's side of the agents' admin endpoints. The sampler reads them several times a
 * second for the whole drill, so this is plain node:http over kept-alive sockets: `fetch` built
 * WHATWG streams, an abort timer and, for every refused probe, an exception object per call, and
 * was the largest share of the harness's own CPU after the Kafka admin calls.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4, keepAliveMsecs: 1000 });

interface Answer {
  status: number;
  body: string;
}

export async function getJson<T>(url: string, timeoutMs = 2000): Promise<T> {
  const res = await request('GET', url, undefined, timeoutMs);
  if (res.status < 200 || res.status >= 300) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return JSON.parse(res.body) as T;
}

export async function postJson<T>(url: string, body: unknown, timeoutMs = 10_000): Promise<T> {
  const res = await request('POST', url, JSON.stringify(body), timeoutMs);
  if (res.status < 200 || res.status >= 300) throw new Error(`POST ${url}: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body) as T;
}

export async function isHealthy(adminUrl: string): Promise<boolean> {
  try {
    const res = await request('GET', `${adminUrl}/health`, undefined, 1000);
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}

async function request(method: 'GET' | 'POST', url: string, body: string | undefined, timeoutMs: number): Promise<Answer> {
  try {
    return await once(method, url, body, timeoutMs);
  } catch (e) {
    // A kept-alive socket to an instance that has since restarted on the same port is reset on
    // first use: that is the socket's age, not the agent's health, so it gets one fresh try.
    if ((e as { reusedSocket?: boolean }).reusedSocket && (e as NodeJS.ErrnoException).code === 'ECONNRESET') return once(method, url, body, timeoutMs);
    throw e;
  }
}

function once(method: 'GET' | 'POST', url: string, body: string | undefined, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    // The whole exchange, not just the socket's idleness: an agent that drips its answer is as stuck as one that never answers.
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(Object.assign(e, { reusedSocket: req.reusedSocket }));
    });
    req.end(body);
  });
}
