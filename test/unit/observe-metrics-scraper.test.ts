import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { watchedSeries } from '../../src/detect/series.ts';
import { parseRule } from '../../src/detect/parse-rule.ts';
import { MetricsScraper, type ScrapeTarget } from '../../src/observe/metrics-scraper.ts';

/** Pages served on loopback per path, each with its own delay: real HTTP, nothing stubbed. */
const pages = new Map<string, { text: string; delayMs?: number }>();
const requests = new Map<string, number>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const page = pages.get(path);
    const answer = () => (page ? res.end(page.text) : res.writeHead(404).end());
    if (page?.delayMs) setTimeout(answer, page.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const rules = ['metric(agent=scorer, name=scorer_invalid_inputs_total) > 0', 'metric(agent=api, name=http_requests_total, code="500") > 1/s', 'metric(agent=api, name=typo_total) > 1'];
const watched = watchedSeries(rules.map((r) => {
  const parsed = parseRule(r);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.rule;
}));

// A read waits longer than the drill's 150 ms here: a busy test machine must not turn a prompt answer stale.
function scraper(targets: () => ScrapeTarget[], problems: [string, string | undefined][] = []) {
  return new MetricsScraper({ clock: systemClock, watched, targets, waitMs: 500, timeoutMs: 8000, onProblem: (i, p) => problems.push([i, p]) });
}

const invalid = 'scorer.scorer_invalid_inputs_total';
const errors = 'api.http_requests_total{code="500"}';
const target = (instance: string, path = `/${instance}`): ScrapeTarget => ({ instance, agent: instance.replace(/-\d+$/, ''), url: `${base}${path}` });

describe('MetricsScraper', () => {
  it('sums a series over the agent’s instances, matchers applied, and leaves a series nobody shows absent', async () => {
    pages.set('/scorer-1', { text: '# TYPE scorer_invalid_inputs_total counter\nscorer_invalid_inputs_total 2\n' });
    pages.set('/scorer-2', { text: 'scorer_invalid_inputs_total 3\n' });
    pages.set('/api-1', { text: 'http_requests_total{code="500",method="GET"} 4\nhttp_requests_total{code="500",method="POST"} 1\nhttp_requests_total{code="200"} 90\n' });
    const s = scraper(() => [target('scorer-1'), target('scorer-2'), target('api-1')]);
    expect(await s.read()).toEqual({
      [invalid]: { value: 5, increase: 0, stale: false },
      [errors]: { value: 5, increase: 0, stale: false },
    });
    pages.set('/scorer-2', { text: 'scorer_invalid_inputs_total 1\n' }); // scorer-2 restarted: 1 new
    pages.set('/scorer-1', { text: 'scorer_invalid_inputs_total 4\n' });
    expect((await s.read())[invalid]).toEqual({ value: 5, increase: 3, stale: false });
  });

  it('keeps a slow instance’s last answer, marked stale, without waiting for it or asking twice', async () => {
    pages.set('/scorer-1', { text: 'scorer_invalid_inputs_total 2\n' });
    pages.set('/scorer-2', { text: 'scorer_invalid_inputs_total 3\n' });
    const s = scraper(() => [target('scorer-1'), target('scorer-2')]);
    expect((await s.read())[invalid]).toMatchObject({ value: 5, stale: false });
    pages.set('/scorer-2', { text: 'scorer_invalid_inputs_total 30\n', delayMs: 3000 });
    requests.clear();
    const started = Date.now();
    const first = await s.read();
    const second = await s.read();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(first[invalid]).toEqual({ value: 5, increase: 0, stale: true });
    expect(second[invalid]).toMatchObject({ value: 5, stale: true });
    expect(requests.get('/scorer-2')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 3000 - (Date.now() - started) + 300));
    expect((await s.read())[invalid]).toMatchObject({ value: 32, increase: 27 });
  });

  it('keeps the last values through a malformed page or a 404, says so once, and again when it answers', async () => {
    const problems: [string, string | undefined][] = [];
    pages.set('/scorer-1', { text: 'scorer_invalid_inputs_total 7\n' });
    const s = scraper(() => [target('scorer-1')], problems);
    await s.read();
    pages.set('/scorer-1', { text: 'scorer_invalid_inputs_total 8\nbroken{ 1\n' });
    expect((await s.read())[invalid]).toEqual({ value: 7, increase: 0, stale: true });
    expect((await s.read())[invalid]).toMatchObject({ value: 7, stale: true });
    expect(problems).toEqual([['scorer-1', expect.stringContaining('line 2:')]]);
    expect((await scraper(() => [target('scorer-1', '/nothing-here')]).read())).toEqual({});
    pages.set('/scorer-1', { text: 'scorer_invalid_inputs_total 9\n' });
    expect((await s.read())[invalid]).toEqual({ value: 9, increase: 2, stale: false });
    expect(problems[1]).toEqual(['scorer-1', undefined]);
  });

  it('drops an instance that stopped running from the sum, and reads nothing for agents no rule names', async () => {
    pages.set('/scorer-1', { text: 'scorer_invalid_inputs_total 2\n' });
    pages.set('/scorer-2', { text: 'scorer_invalid_inputs_total 3\n' });
    let running = [target('scorer-1'), target('scorer-2'), target('ledger-1')];
    const s = scraper(() => running);
    requests.clear();
    expect((await s.read())[invalid]!.value).toBe(5);
    expect(requests.has('/ledger-1')).toBe(false);
    running = [target('scorer-1')];
    expect((await s.read())[invalid]!.value).toBe(2);
    s.close();
  });
});
