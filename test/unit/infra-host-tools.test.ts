import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentdrillError } from '../../src/core/errors.ts';
import { assertSafeVersion } from '../../src/infra/local/provision-kafka.ts';
import { requireTool, shQuote, tailLines } from '../../src/infra/local/host-tools.ts';

describe('requireTool', () => {
  it('names the missing tool and how to get it', () => {
    try {
      requireTool('mvn', 'download Kafka 4.1.1', { PATH: '/nonexistent' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AgentdrillError);
      const err = e as AgentdrillError;
      expect(err.code).toBe('TOOL_MISSING');
      expect(err.message).toContain('mvn');
      expect(err.hint).toContain('apt-get install -y maven');
    }
  });

  it('finds tools on PATH, skipping non-executables', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-path-'));
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'agentdrill-path-'));
    try {
      fs.writeFileSync(path.join(plain, 'mvn'), '', { mode: 0o644 });
      fs.writeFileSync(path.join(dir, 'mvn'), '#!/bin/sh\n', { mode: 0o755 });
      expect(requireTool('mvn', 'x', { PATH: `/nonexistent:${plain}:${dir}` })).toBe(path.join(dir, 'mvn'));
    } finally {
      fs.rmSync(dir, { recursive: true });
      fs.rmSync(plain, { recursive: true });
    }
  });
});

describe('assertSafeVersion', () => {
  it('accepts versions and refuses path or XML tricks', () => {
    expect(() => assertSafeVersion('4.1.1', 'V')).not.toThrow();
    expect(() => assertSafeVersion('v2.12.0', 'V')).not.toThrow();
    for (const bad of ['../x', '1</version>', '', 'a b']) expect(() => assertSafeVersion(bad, 'V')).toThrow(AgentdrillError);
  });
});

describe('shQuote', () => {
  it('round-trips through sh', () => {
    for (const value of ["it's", 'a b', '$HOME', '"q"', '*']) {
      expect(execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(value)}`]).toString()).toBe(value);
    }
  });
});

describe('tailLines', () => {
  it('keeps the last lines', () => {
    expect(tailLines('a\nb\nc\n', 2)).toBe('b\nc');
  });
});
