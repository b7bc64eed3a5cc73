import { httpRequest } from '../core/http.ts';

/** The harness's side of the agents' admin endpoints (kept-alive sockets: see core/http.ts). */
export async function getJson<T>(url: string, timeoutMs = 2000): Promise<T> {
  const res = await httpRequest(url, { timeoutMs });
  if (res.status < 200 || res.status >= 300) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return JSON.parse(res.body) as T;
}

export async function postJson<T>(url: string, body: unknown, timeoutMs = 10_000): Promise<T> {
  const res = await httpRequest(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, timeoutMs });
  if (res.status < 200 || res.status >= 300) throw new Error(`POST ${url}: HTTP ${res.status} ${res.body}`);
  return JSON.parse(res.body) as T;
}
