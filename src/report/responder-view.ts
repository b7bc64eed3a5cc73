import type { ResponderScore } from '../core/events.ts';
import { formatSeconds } from '../score/format.ts';

/**
 * The responder's score as lines people read: the terminal summary, JUnit's body and the HTML
 * report all show these, so each says the same thing.
 */
export function responderLines(r: ResponderScore): string[] {
  const ack = r.ackMs === undefined ? 'never acknowledged the page' : r.type === 'script' ? 'acknowledged at once' : `acknowledged ${formatSeconds(r.ackMs)} after the page`;
  const resolved = r.type === 'script' ? '' : r.resolvedMs === undefined ? ', never declared resolved' : `, declared resolved at +${formatSeconds(r.resolvedMs)}`;
  const calls = r.type === 'script' ? '' : ` (${r.calls} call${r.calls === 1 ? '' : 's'})`;
  const list = (names: string[]) => (names.length ? ` (${names.join(', ')})` : '');
  const lines = [
    `${r.type}: ${ack}${resolved}${calls}`,
    `steps: followed ${r.steps.followed.length}${list(r.steps.followed)}, skipped ${r.steps.skipped.length}${list(r.steps.skipped)}, added ${r.steps.added.length}${list(r.steps.added)}`,
  ];
  if (r.type !== 'script') lines.push(r.violations.length ? `permission violations: ${r.violations.length}` : 'permission violations: none');
  for (const v of r.violations) lines.push(`  VIOLATION ${v}`);
  for (const a of r.approvals ?? []) lines.push(`approval ${a}`);
  if (r.unknownTools?.length) lines.push(`tools that do not exist, called: ${r.unknownTools.length}`);
  for (const t of r.unknownTools ?? []) lines.push(`  NO SUCH TOOL ${t}`);
  const unsupported = r.claims.filter((c) => !c.supported).length;
  // People declare with a summary, not checkable claims: only an agent's claims are listed.
  if (r.type === 'agent' && r.resolvedMs !== undefined) lines.push(`claims: ${r.claims.length} checked against the journal, ${unsupported ? `${unsupported} UNSUPPORTED` : 'all supported'}`);
  if (r.unnecessary) lines.push(r.unnecessary.length ? `unnecessary actions (no fault was injected): ${r.unnecessary.length}` : 'unnecessary actions (no fault was injected): none');
  for (const a of r.unnecessary ?? []) lines.push(`  UNNECESSARY ${a}`);
  if (r.resolvedEarly) lines.push(`EARLY: ${r.resolvedEarly}`);
  if (r.type === 'human' && r.notes.length) lines.push(`notes: ${r.notes.length}`);
  for (const c of r.claims) lines.push(`  ${c.supported ? 'supported' : 'UNSUPPORTED'}: ${c.claim} — ${c.evidence}`);
  return lines;
}
