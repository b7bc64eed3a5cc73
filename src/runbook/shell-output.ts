/**
 * Whether a line of a shell block without prompts is sample output rather than a command. People
 * paste what they saw under what they typed: a column header (`NAME  READY  STATUS`), a klog line
 * (`I0611 12:00:01 ...`), `error: ...`, a JSON document. A shell would fail on each of them, so a
 * person reading the page does not run them and neither should the lint or the drill.
 */
export function isOutputLine(line: string): boolean {
  const text = line.trim();
  if (!text || text.startsWith('#')) return false;
  const first = text.split(/\s+/, 1)[0]!;
  // NAME, Events:, I0611, Delete: no command starts with an upper-case letter (assignments do).
  if (/^[A-Z]/.test(first) && !/^[A-Za-z_]\w*(\[[^\]]*\])?\+?=/.test(first)) return true;
  if (/^[\w.-]+:$/.test(first)) return true;
  // `notAfter=Jul 14 09:00:00 2025 GMT`: a key=value line of output, not an assignment before a command.
  if (/^[A-Za-z_]\w*=/.test(first) && /^\S+\s+[\dA-Z]/.test(text) && !/[|;&$`]/.test(text)) return true;
  if (/^\d/.test(first) && !/^\d+[<>]/.test(first)) return true;
  // JSON, table borders, rules, and bullets ("- Kafka metadata (topic, partition)"): no command starts so.
  if (/^(\{"|"[^"]*":|"[^"]*",?$|\},?$|\],?$|\+-|\|.*\|$|-{3,}|={3,}|[-*•] )/.test(text)) return true;
  return columnAligned(text);
}

/** `foo-7d9   1/1   Running   0   3d`: columns, with no flag, variable or operator a command would have. */
function columnAligned(text: string): boolean {
  if (/(^|\s)-|[$|;&<>\\`'"=]/.test(text)) return false;
  return (text.match(/\S\s{2,}(?=\S)/g) ?? []).length >= 2;
}
