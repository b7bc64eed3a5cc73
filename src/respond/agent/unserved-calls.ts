import { z } from 'zod';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../../core/clock.ts';
import type { Journal } from '../../core/journal.ts';
import { recordUnserved } from '../call-log.ts';
import type { ToolSpec } from './tool.ts';

/**
 * Watches the calls the MCP server answers on its own, before any tool runs, and journals them:
 * a tool that does not exist (the failure teams fear most from an AI responder: it acts through
 * a tool it imagined) and arguments that do not fit a tool. The server still gives the answer;
 * this only makes sure the drill sees the attempt.
 */
export function unservedCallWatcher(tools: readonly ToolSpec[], journal: Journal, clock: Clock): (message: JSONRPCMessage) => void {
  const byName = new Map(tools.map((t) => [t.name, z.object(t.input)]));
  const known = tools.map((t) => t.name);
  return (message) => {
    if (!('method' in message) || message.method !== 'tools/call' || !('id' in message)) return;
    const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
    const tool = typeof params.name === 'string' ? params.name : String(params.name);
    const args = isRecord(params.arguments) ? params.arguments : {};
    const schema = byName.get(tool);
    if (!schema) return recordUnserved(journal, clock, { tool, args }, { unknownTool: true, known });
    const parsed = schema.safeParse(params.arguments ?? {});
    if (!parsed.success) recordUnserved(journal, clock, { tool, args }, { invalid: parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ') });
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
