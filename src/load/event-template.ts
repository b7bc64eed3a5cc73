/**
 * Per-event templates for the load's keys and values: `{{seq}}` (1, 2, ...), `{{now}}` (epoch
 * ms), `{{uuid}}`, `{{int 1 200}}`, `{{pick eu us ap}}`. Choices are a pure function of the
 * event's seq, so a drill's load is the same every run and a failing drill can be replayed.
 * Nothing is evaluated: a placeholder is one of these five words or an error at parse time.
 */
export const placeholders = ['seq', 'now', 'uuid', 'int <min> <max>', 'pick <a> <b> ...'] as const;

type Piece = string | ((seq: number, now: number) => string);
export type EventTemplate = (seq: number, now: number) => string;

export interface TemplateError {
  /** 1-based column of the `{{`. */
  column: number;
  message: string;
  hint: string;
}

export function compileEventTemplate(text: string): { ok: true; render: EventTemplate } | { ok: false; error: TemplateError } {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      pieces.push(text.slice(i));
      break;
    }
    if (open > i) pieces.push(text.slice(i, open));
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return fail(open, '"{{" is not closed by "}}"', 'close the placeholder, e.g. {{seq}}');
    const piece = placeholder(text.slice(open + 2, close).trim());
    if (typeof piece === 'object') return fail(open, piece.message, piece.hint);
    pieces.push(piece);
    i = close + 2;
  }
  return { ok: true, render: (seq, now) => renderPieces(pieces, seq, now) };
}

// A plain loop: the load builds every event through this, up to 10,000 a second.
function renderPieces(pieces: Piece[], seq: number, now: number): string {
  let out = '';
  for (const p of pieces) out += typeof p === 'string' ? p : p(seq, now);
  return out;
}

function placeholder(inner: string): Piece | { message: string; hint: string } {
  const [word = '', ...args] = inner.split(/\s+/);
  const allowed = `placeholders: ${placeholders.map((p) => `{{${p}}}`).join(', ')}`;
  switch (word) {
    case 'seq':
      return args.length ? { message: '{{seq}} takes no arguments', hint: allowed } : (seq) => String(seq);
    case 'now':
      return args.length ? { message: '{{now}} takes no arguments', hint: allowed } : (_seq, now) => String(now);
    case 'uuid':
      return args.length ? { message: '{{uuid}} takes no arguments', hint: allowed } : (seq) => uuidFor(seq);
    case 'int': {
      const [min, max] = args.map(Number);
      if (args.length !== 2 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min! > max!) {
        return { message: `{{${inner}}} needs two whole numbers, the smaller first`, hint: 'write e.g. {{int 1 200}}' };
      }
      const salt = fnv1a(inner);
      return (seq) => String(min! + (mix(seq, salt) % (max! - min! + 1)));
    }
    case 'pick': {
      if (args.length === 0) return { message: '{{pick}} needs at least one choice', hint: 'write e.g. {{pick eu us ap}}' };
      const salt = fnv1a(inner);
      return (seq) => args[mix(seq, salt) % args.length]!;
    }
    default:
      return { message: `unknown placeholder {{${inner}}}`, hint: allowed };
  }
}

/**
 * A number from the seq, salted with the placeholder's own text so two `{{int}}`s in a template
 * differ. Any well-mixed function does: the choices only have to spread evenly and repeat every
 * run. A SHA-256 per draw was a third of the cost of building an event, so this is MurmurHash3's
 * finalizer over the seq's two 32-bit halves and the salt (the text's FNV-1a hash).
 */
function mix(seq: number, salt: number): number {
  const low = seq >>> 0;
  const high = Math.floor(seq / 0x1_0000_0000) >>> 0;
  return fmix32(salt ^ fmix32(low ^ Math.imul(high, 0x85eb_ca6b)));
}

/** FNV-1a over the text's UTF-16 units: the salt of a placeholder, and the thread of a key (producer-threads.ts). */
export function fnv1a(text: string): number {
  let h = 0x811c_9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x0100_0193);
  return h >>> 0;
}

function fmix32(x: number): number {
  let h = x;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const uuidSalts = [fnv1a('uuid:0'), fnv1a('uuid:1'), fnv1a('uuid:2'), fnv1a('uuid:3')];

function uuidFor(seq: number): string {
  const h = uuidSalts.map((salt) => mix(seq, salt).toString(16).padStart(8, '0')).join('');
  // Shaped as a version-4 UUID so systems that validate the format accept it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function fail(open: number, message: string, hint: string): { ok: false; error: TemplateError } {
  return { ok: false, error: { column: open + 1, message, hint } };
}
