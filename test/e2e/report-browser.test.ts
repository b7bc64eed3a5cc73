import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalFile } from '../../src/core/journal.ts';
import { writeHtmlReport, type HistoryEntry } from '../../src/report/index.ts';
import { scoreDrill } from '../../src/score/index.ts';
import { repoRoot } from '../helpers/cli.ts';
import { buildJournal } from '../unit/fixtures/journal-fixture.ts';

// scripts/test.mjs installs Debian's chromium here before the run.
const executablePath = '/usr/bin/chromium';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const screenshots = join(repoRoot, 'reports', 'screenshots');

let browser: Browser;
let dir: string;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath, args });
  dir = await mkdtemp(join(tmpdir(), 'agentdrill-browser-'));
});
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  problems: string[];
  dialogs: string[];
}

/** A page that records console errors, uncaught exceptions and dialogs (dismissing them). */
async function open(file: string, options: { bypassCSP?: boolean } = {}): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss().catch(() => undefined);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, dialogs };
}

describe('HTML report in a real browser', () => {
  it('renders the real drill without console errors, with its chart and every marker', async () => {
    const journal = JSON.parse(await readFile(join(repoRoot, 'test/fixtures/journals/downstream-backlog.json'), 'utf8')) as JournalFile;
    const history: HistoryEntry[] = [
      { scenario: 'downstream-backlog', drillId: 'q2', at: '2026-05-12T09:00:00.000Z', verdict: 'failed', ttdMs: 24_100, ttrMs: 95_000, targets: { detectMs: 20_000, recoverMs: 90_000 } },
      { scenario: 'downstream-backlog', drillId: 'q3', at: '2026-08-11T09:00:00.000Z', verdict: 'passed', ttdMs: 6_200, ttrMs: 41_000, targets: { detectMs: 20_000, recoverMs: 90_000 } },
    ];
    const file = await writeHtmlReport(join(dir, 'real'), journal.events, { history });
    const { page, problems, dialogs } = await open(file);

    expect(await page.locator('.banner .verdict').textContent()).toBe('PASSED');
    const chart = page.locator('svg.timeline:not(.trend)');
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(1000);
    expect(box?.height).toBeGreaterThan(600);
    for (const panel of ['lag', 'throughput', 'memory']) expect(await chart.locator(`#${panel} path.series`).count()).toBeGreaterThan(0);
    const count = (kind: string) => chart.locator(`g.marker[data-kind="${kind}"]`).count();
    expect(await count('fault')).toBe(1);
    expect(await count('alert')).toBe(1);
    expect(await count('step')).toBe(3);
    expect(await count('recovered')).toBe(1);
    expect(await count('rebalance')).toBe(1);
    // Drawn, not just present: the fault line spans the panels.
    const fault = await chart.locator('g.marker[data-kind="fault"] line').boundingBox();
    expect(fault?.height).toBeGreaterThan(500);
    expect(await page.locator('svg.trend circle.dot').count()).toBeGreaterThanOrEqual(6);
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);

    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'report-downstream-backlog.png'), fullPage: true });
  });

  it('executes nothing from hostile step output, scenario, group or history text, even with CSP off', async () => {
    const payload = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"><script>alert(1)</script><svg onload="window.__pwned=1">';
    const events = buildJournal({ scenarioName: `drill ${payload}`, stepOutput: `lag ok\n${payload}\n`, runbookGitRevision: payload, crash: { afterMs: 9_000, signal: payload, code: null }, score: scoreDrill });
    for (const e of events) {
      if (e.type === 'sample') (e.payload as { groups: Record<string, unknown> }).groups[payload] = { lag: 5, throughput: 5, committed: 1, state: payload };
    }
    const history: HistoryEntry[] = [{ scenario: `drill ${payload}`, drillId: payload, at: '2023-01-01T00:00:00.000Z', verdict: 'passed', ttdMs: 1_000, ttrMs: 2_000, targets: { detectMs: 20_000, recoverMs: 90_000 } }];
    const file = await writeHtmlReport(join(dir, 'hostile'), events, { history });
    // CSP would block inline scripts anyway; with it bypassed, only the escaping stands between the payload and the page.
    const { page, dialogs } = await open(file, { bypassCSP: true });
    await page.locator('details summary').first().click();
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('body script, body img, body iframe').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(`drill ${payload}`);
    expect(await page.locator('details pre').first().textContent()).toContain(payload);
  });
});
