/**
 * GET a text page of bounded size: an endpoint that streams without end, or serves a page far
 * beyond any real /metrics, costs the drill one failed read, never its memory.
 */
export async function boundedGet(url: string, options: { signal: AbortSignal; maxBytes: number; accept: string }): Promise<string> {
  const res = await fetch(url, { signal: options.signal, headers: { accept: options.accept }, redirect: 'error' });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > options.maxBytes) {
      await reader.cancel();
      throw new Error(`the page is larger than ${options.maxBytes} bytes`);
    }
    text += decoder.decode(value, { stream: true });
  }
}
