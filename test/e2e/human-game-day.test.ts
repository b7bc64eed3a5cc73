import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { eventsOfType, type JournalFile } from '../../src/core/journal.ts';
import type { JsonResult } from '../../src/report/index.ts';
import { cliPath, processesWithMarker, repoRoot, runCli } from '../helpers/cli.ts';
import { scenarioVariant } from '../helpers/scenario-variant.ts';

/**
 * A game day at a real terminal: the drill runs in a tmux pane (its stdin a real tty), and the
 * test types at its prompt with send-keys and reads the screen with capture-pane, as people do.
 * Each test has a tmux server of its own (-S, its socket in the run's temp folder), killed at the
 * end, so nothing is left behind and nobody else's tmux is touched.
 */
const sockets: string[] = [];
afterAll(() => {
  for (const s of sockets) {
    spawnSync('tmux', ['-S', s, 'kill-server']);
    rmSync(s, { force: true });
  }
});

function tmux(socket: string, ...args: string[]): string {
  const r = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function startDrill(args: string[], env: Record<string, string> = {}) {
  const socket = path.join(os.tmpdir(), `agentdrill-tmux-${randomUUID().slice(0, 8)}`);
  sockets.push(socket);
  const marker = randomUUID();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agentdrill-out-'));
  const out = path.join(dir, 'reports', 'drill');
  const stdout = path.join(dir, 'stdout.json');
  const exitFile = path.join(dir, 'exit');
  const vars = { ...env, AGENTDRILL_TEST_MARKER: marker, TMPDIR: os.tmpdir(), PATH: process.env.PATH ?? '' };
  const command = [
    'env',
    ...Object.entries(vars).map(([k, v]) => quote(`${k}=${v}`)),
    quote(process.execPath), quote(cliPath), 'run', ...args.map(quote), '--json', '--out', quote(out),
    '>', quote(stdout),
  ].join(' ');
  // The pane's shell keeps its screen after the drill: its exit code goes to a file.
  tmux(socket, 'new-session', '-d', '-s', 'drill', '-x', '220', '-y', '60', '-c', repoRoot, `sh -c ${quote(`${command}; echo $? > ${exitFile}; sleep 600`)}`);
  const screen = () => tmux(socket, 'capture-pane', '-p', '-J', '-S', '-2000', '-t', 'drill:0');
  const type = (line: string) => {
    tmux(socket, 'send-keys', '-t', 'drill:0', '-l', line);
    tmux(socket, 'send-keys', '-t', 'drill:0', 'Enter');
  };
  const waitScreen = async (what: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (what.test(screen())) return;
      if (existsSync(exitFile)) break;
      await sleep(250);
    }
    expect(screen(), `waiting for ${what}`).toMatch(what);
  };
  const exit = async () => {
    const deadline = Date.now() + 280_000;
    while (!existsSync(exitFile) && Date.now() < deadline) await sleep(500);
    const code = Number(readFileSync(exitFile, 'utf8').trim());
    const text = readFileSync(stdout, 'utf8').trim();
    const result = text ? (JSON.parse(text.split('\n').at(-1)!) as JsonResult) : undefined;
    return { code, result, screen: screen() };
  };
  return { socket, marker, out, screen, type, waitScreen, exit, keys: (...k: string[]) => tmux(socket, 'send-keys', '-t', 'drill:0', ...k), other: (cmd: string) => tmux(socket, 'new-window', '-t', 'drill', `sh -c ${quote(cmd)}`) };
}

describe('a game day at a real terminal (tmux): --responder human', () => {
  it('pages with a banner, takes ack, steps, a ctl from another terminal, a note and "resolved"; the journal and the report keep the scribe\'s timeline', async () => {
    const scenario = path.resolve('scenarios/downstream-backlog.yaml');
    const d = startDrill([scenario, '--responder', 'human', '--inject-within', '1s..3s'], { AGENTDRILL_RESPONDER_NAME: 'alice' });
    // An automated run of the same scenario in the history: its times go beside the people's.
    const reportsDir = path.dirname(d.out);
    mkdirSync(reportsDir, { recursive: true });
    writeFileSync(path.join(reportsDir, 'history.jsonl'), `${JSON.stringify({ scenario: 'downstream-backlog', drillId: 'downstream-backlog-20260101-000000-abcdef', at: '2026-01-01T00:00:00.000Z', verdict: 'passed', ttdMs: 3700, ttrMs: 20400, targets: { detectMs: 20000, recoverMs: 90000 }, responder: 'script', timeline: { pagedMs: 3700, steps: [{ name: 'confirm-api-latency', atMs: 3710 }, { name: 'scale-out', atMs: 3900 }, { name: 'lag-draining', atMs: 4600 }] } })}\n`);
    await d.waitScreen(/waiting for the page/, 200_000);
    const controlUrl = /export AGENTDRILL_CONTROL_URL=(\S+)/.exec(d.screen())![1]!;
    await d.waitScreen(/PAGED: Downstream backlog/, 200_000);
    expect(d.screen()).toContain('3. [verify] lag-draining (read)');
    d.type('ack');
    await d.waitScreen(/acknowledged by alice/, 10_000);
    d.type('run 1');
    await d.waitScreen(/confirm-api-latency: exit 0/, 30_000);
    // Another terminal of the drill: bob scales out with agentdrill ctl, as the runbook says.
    d.other(`env AGENTDRILL_CONTROL_URL=${controlUrl} AGENTDRILL_RESPONDER_NAME=bob AGENTDRILL_TEST_MARKER=${d.marker} ${process.execPath} ${cliPath} ctl scale inventory +2; sleep 600`);
    await d.waitScreen(/\[bob via agentdrill ctl\] ctl_scale inventory \+2: ok/, 30_000);
    d.type('note bob scaled inventory out from the other terminal');
    d.type('run lag-draining');
    await d.waitScreen(/lag-draining: exit 0/, 160_000);
    await d.waitScreen(/recovered: steady state held/, 100_000);
    d.type('done escalate-1 not needed: lag drained');
    d.type('resolved slow inventory API; scaled inventory out to 3, lag drained');
    await d.waitScreen(/declared resolved/, 10_000);
    const { code, result, screen } = await d.exit();
    expect(code, screen).toBe(0);
    expect(result!.verdict).toBe('passed');
    const r = result!.responder!;
    expect(r.type).toBe('human');
    expect(r.steps).toEqual({ followed: ['confirm-api-latency', 'scale-out', 'lag-draining', 'escalate-1'], skipped: [], added: [] });
    expect(r.ackMs).toBeGreaterThan(0);
    expect(r.resolvedMs).toBeGreaterThan(result!.ttrMs!);
    expect(r.notes).toEqual(['bob scaled inventory out from the other terminal', 'escalate-1: not needed: lag drained']);
    const events = (JSON.parse(readFileSync(result!.journal!, 'utf8')) as JournalFile).events;
    const scheduled = eventsOfType(events, 'fault.scheduled')[0]!.payload;
    expect(scheduled.delayMs).toBeGreaterThanOrEqual(1000);
    expect(scheduled.delayMs).toBeLessThanOrEqual(3000);
    const calls = eventsOfType(events, 'responder.call').map((c) => `${c.payload.by}: ${c.payload.tool} ${c.payload.outcome}`);
    expect(calls).toEqual([
      'alice at the prompt: ack ok',
      'alice at the prompt: run_step ok',
      'bob via agentdrill ctl: ctl_scale ok',
      'alice at the prompt: post_note ok',
      'alice at the prompt: run_step ok',
      'alice at the prompt: mark_done ok',
      'alice at the prompt: declare_resolved ok',
    ]);
    // The prompt's step ran as the script runs it, and the step's own ctl wait was not counted twice.
    expect(eventsOfType(events, 'step.finished').map((s) => s.payload.name)).toEqual(['confirm-api-latency', 'lag-draining']);
    const html = readFileSync(result!.report!, 'utf8');
    expect(html).toContain("Scribe's timeline");
    expect(html).toContain('automated run downstream-backlog-20260101-000000-abcdef');
    for (const row of ['acknowledged the page', 'alice at the prompt', 'bob via agentdrill ctl', 'agentdrill ctl scale inventory +2', 'note: bob scaled inventory out', 'marked step escalate-1 done', 'declared resolved: slow inventory API', 'steady state returned (TTR)', '+20.4s']) {
      expect(html).toContain(row);
    }
    expect(processesWithMarker(d.marker).filter((p) => !p.args.includes('sleep 600'))).toEqual([]);
    console.log(`game day: TTD ${result!.ttdMs} ms, TTR ${result!.ttrMs} ms, ack ${r.ackMs} ms, resolved +${r.resolvedMs} ms, injected ${scheduled.delayMs} ms after the baseline`);
  });

  it('negative control: paged and never acknowledged, the drill fails naming the ack', async () => {
    const scenario = scenarioVariant('downstream-backlog', { 'targets.recoverWithin': '15s' });
    const d = startDrill([scenario, '--responder', 'human']);
    await d.waitScreen(/PAGED: Downstream backlog/, 200_000);
    const { code, result, screen } = await d.exit();
    expect(code, screen).toBe(1);
    expect(result!.reasons).toContain('responder: never acknowledged the page (no ack, step or ctl after it)');
    expect(result!.responder!.ackMs).toBeNull();
    expect(screen).toContain('the drill is over: no more commands are taken');
    expect(processesWithMarker(d.marker).filter((p) => !p.args.includes('sleep 600'))).toEqual([]);
  });

  it('Ctrl-C at the prompt stops the drill and everything it started (exit 130)', async () => {
    const d = startDrill([path.resolve('scenarios/downstream-backlog.yaml'), '--responder', 'human']);
    await d.waitScreen(/waiting for the page/, 200_000);
    d.keys('C-c');
    const { code, screen } = await d.exit();
    expect(code, screen).toBe(130);
    expect(processesWithMarker(d.marker).filter((p) => !p.args.includes('sleep 600'))).toEqual([]);
  });

  it('stdin that is no terminal: NOT_A_TERMINAL, exit 2, before anything starts', async () => {
    const run = await runCli(['run', 'scenarios/downstream-backlog.yaml', '--responder', 'human']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('[NOT_A_TERMINAL]');
    expect(processesWithMarker(run.marker)).toEqual([]);
  });
});
