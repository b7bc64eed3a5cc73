import { checkDuration, durationCeilings } from '../core/duration.ts';
import type { StepAttributes } from './model.ts';

export interface FenceInfo {
  lang: string;
  attributes: StepAttributes;
  problems: { message: string; hint: string }[];
}

/**
 * A fence's info string, Runme-style: `sh {"name":"scale-out","timeout":"30s"}` (JSON) or
 * `sh { name=scale-out timeout=30s }` (key=value, values may be quoted). `lang` and `meta` are
 * rejoined first because `sh{...}` without a space arrives as one word.
 */
export function parseFenceInfo(lang: string | null | undefined, meta: string | null | undefined): FenceInfo {
  const info = [lang ?? '', meta ?? ''].join(' ').trim();
  const langMatch = /^[^\s{]*/.exec(info)![0];
  const rest = info.slice(langMatch.length).trim();
  const problems: FenceInfo['problems'] = [];
  const raw = rest ? parseAttributes(rest, problems) : {};
  return { lang: langMatch.toLowerCase(), attributes: normalize(raw, problems), problems };
}

function parseAttributes(rest: string, problems: FenceInfo['problems']): Record<string, unknown> {
  if (rest.startsWith('{') && /^\{\s*"/.test(rest)) {
    try {
      const value: unknown = JSON.parse(rest);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through to the finding below
    }
    problems.push({ message: `fence attributes ${rest} are not a JSON object`, hint: 'write {"name":"scale-out","timeout":"30s"} or { name=scale-out timeout=30s }' });
    return {};
  }
  const inner = rest.startsWith('{') ? rest.replace(/^\{/, '').replace(/\}\s*$/, '') : rest;
  const out: Record<string, unknown> = {};
  // key=value | key="quoted value" | key='quoted' | bare-flag
  const pair = /([A-Za-z_][\w.-]*)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"'}]*)))?|(\S+)/g;
  for (const m of inner.matchAll(pair)) {
    if (m[5] !== undefined) {
      problems.push({ message: `fence attribute text "${m[5]}" is not key=value`, hint: 'write { name=scale-out timeout=30s }' });
      continue;
    }
    const key = m[1]!;
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? m[4]);
    out[key] = value === undefined ? true : value;
  }
  return out;
}

function normalize(raw: Record<string, unknown>, problems: FenceInfo['problems']): StepAttributes {
  const { name, timeout, ...rest } = raw;
  const attributes: StepAttributes = { ...rest };
  if (name !== undefined) {
    if (typeof name === 'string' && name.trim()) attributes.name = name.trim();
    else problems.push({ message: `step name ${JSON.stringify(name)} is not a name`, hint: 'write name=scale-out' });
  }
  if (timeout !== undefined) {
    // No step outlives the drill, whose time limit is at most 6 h.
    const checked = typeof timeout === 'string' ? checkDuration(timeout, { min: 1, max: durationCeilings.drill }) : undefined;
    if (checked?.ok) attributes.timeout = checked.ms;
    else if (checked) problems.push({ message: `step timeout ${checked.message}`, hint: `${checked.hint}, e.g. timeout=30s` });
    else problems.push({ message: `step timeout ${JSON.stringify(timeout)} is not a duration`, hint: 'write a duration with a unit, e.g. timeout=30s' });
  }
  return attributes;
}
