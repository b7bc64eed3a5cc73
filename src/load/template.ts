import { AgentdrillError } from '../core/errors.ts';
import { compileEventTemplate, placeholders, type EventTemplate } from './event-template.ts';

/**
 * The load's templates, checked before anything starts. The placeholder language itself lives in
 * event-template.ts (shared with the fleet file's validation, so both accept the same text):
 *
 *   {{seq}}               the event's sequence number: 1, 2, 3 ...
 *   {{now}}               epoch milliseconds when the event is built
 *   {{uuid}}              a UUID-shaped id derived from seq
 *   {{int <min> <max>}}   a whole number in [min, max], a pure function of seq
 *   {{pick <a> <b> ...}}  one of the words, a pure function of seq
 *
 * Nothing in a template is evaluated; any other placeholder is refused here with the list above.
 */
export { placeholders, type EventTemplate };

export const templateLimits = { chars: 64 * 1024 } as const;

/** Compiles `text` or throws FLEET_INVALID naming `where` (e.g. `load.value.template`) and the column. */
export function parseTemplate(text: string, where: string): EventTemplate {
  if (text.length > templateLimits.chars) {
    throw new AgentdrillError('FLEET_INVALID', `${where}: the template is ${text.length} characters, over ${templateLimits.chars}`, {
      hint: 'keep templates short; recorded events belong in a samples file (JSON Lines)',
      context: { where },
    });
  }
  const compiled = compileEventTemplate(text);
  if (compiled.ok) return compiled.render;
  const { column, message, hint } = compiled.error;
  throw new AgentdrillError('FLEET_INVALID', `${where}, column ${column}: ${message}`, {
    hint,
    context: { where, column, allowed: placeholders.map((p) => `{{${p}}}`) },
  });
}
