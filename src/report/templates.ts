import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { packageFile } from '../core/settings.ts';

export type Render = (context: unknown) => string;

const cache = new Map<string, Render>();
let instance: typeof Handlebars | undefined;

/**
 * A compiled page template from ./templates, with the shared `styles` partial. Compiled once per
 * process, on first use: reports are rendered at the end of a drill, never on a hot path.
 */
export function pageTemplate(name: string): Render {
  const cached = cache.get(name);
  if (cached) return cached;
  if (!instance) {
    instance = Handlebars.create();
    instance.registerPartial('styles', load('styles.hbs'));
  }
  const render = instance.compile(load(name), { strict: false, preventIndent: true });
  cache.set(name, render);
  return render;
}

/** Marks builder-escaped SVG as safe to insert; every other value stays escaped by Handlebars. */
export function trustedSvg(svg: string | undefined): Handlebars.SafeString | undefined {
  return svg === undefined ? undefined : new Handlebars.SafeString(svg);
}

function load(name: string): string {
  return readFileSync(packageFile('src', 'report', 'templates', name), 'utf8');
}
