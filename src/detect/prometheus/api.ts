import { AgentdrillError } from '../../core/errors.ts';

/** What Prometheus' HTTP API answers for one alert (GET /api/v1/alerts). */
export interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value?: string;
}

export interface ApiSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  values: [number, string][];
}

/**
 * The few calls of Prometheus' HTTP API a drill makes, each bounded in time: a stalled server
 * costs one poll, never the drill.
 */
export class PrometheusApi {
  constructor(readonly url: string, private readonly timeoutMs = 5000) {}

  async alerts(): Promise<ApiAlert[]> {
    return (await this.get<{ alerts: ApiAlert[] }>('/api/v1/alerts')).alerts;
  }

  async version(): Promise<string> {
    return (await this.get<{ version: string }>('/api/v1/status/buildinfo')).version;
  }

  /** An expression evaluated every `stepMs` over [startMs, endMs] (at most 11 000 points, Prometheus' limit). */
  async queryRange(expr: string, startMs: number, endMs: number, stepMs: number): Promise<ApiSeries[]> {
    const step = Math.max(stepMs, Math.ceil((endMs - startMs) / 10_000));
    const q = new URLSearchParams({ query: expr, start: String(startMs / 1000), end: String(endMs / 1000), step: `${step / 1000}` });
    return (await this.get<{ result: ApiSeries[] }>(`/api/v1/query_range?${q}`)).result;
  }

  /** Every raw sample of the series `selector` selects, from `startMs` to `endMs`, as scraped. */
  async rawSamples(selector: string, startMs: number, endMs: number): Promise<ApiSeries[]> {
    const seconds = Math.max(1, Math.ceil((endMs - startMs) / 1000));
    const q = new URLSearchParams({ query: `${selector}[${seconds}s]`, time: String(endMs / 1000) });
    return (await this.get<{ result: ApiSeries[] }>(`/api/v1/query?${q}`)).result;
  }

  /** Metric names that have data, among `candidates` (a rule's identifiers: names, functions, labels). */
  async existingNames(candidates: readonly string[]): Promise<string[]> {
    const names = await this.get<string[]>('/api/v1/label/__name__/values');
    return candidates.filter((c) => names.includes(c));
  }

  private async get<T>(pathAndQuery: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${pathAndQuery}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new AgentdrillError('INFRA_START_FAILED', `Prometheus at ${this.url} did not answer ${pathAndQuery.split('?')[0]}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const body = (await response.json().catch(() => undefined)) as { status?: string; data?: T; error?: string } | undefined;
    if (!response.ok || body?.status !== 'success' || body.data === undefined) {
      throw new AgentdrillError('INFRA_START_FAILED', `Prometheus answered ${response.status} to ${pathAndQuery.split('?')[0]}: ${body?.error ?? 'no data'}`);
    }
    return body.data;
  }
}
