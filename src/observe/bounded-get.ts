import { httpRequest } from '../core/http.ts';

/**
 * GET a text page of bounded size: an endpoint that streams without end, or serves a page far
 * beyond any real /metrics, costs the drill one failed read, never its memory. A redirect is an
 * error, not followed: a scrape target is an address, not a search.
 */
export async function boundedGet(url: string, options: { signal: AbortSignal; timeoutMs: number; maxBytes: number; accept: string }): Promise<string> {
  const res = await httpRequest(url, { headers: { accept: options.accept }, signal: options.signal, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes });
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
  return res.body;
}
