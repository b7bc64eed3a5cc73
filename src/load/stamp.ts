/**
 * The mark every produced event carries so the end of the pipeline can tell which input an
 * output came from: `<runTag>:<seq>`. The run tag is the drill's, so events of an earlier drill
 * still on a shared topic never count for this one.
 */
export function stampValue(runTag: string, seq: number): string {
  return `${runTag}:${seq}`;
}

/** The seq of a stamp of this run, or undefined for another run's stamp or no stamp. */
export function seqOfStamp(runTag: string, stamp: string | undefined): number | undefined {
  if (stamp === undefined || !stamp.startsWith(`${runTag}:`)) return undefined;
  const seq = Number(stamp.slice(runTag.length + 1));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

/**
 * Writes the stamp into a JSON value at a dotted path (`meta.drillSeq`), creating objects on the
 * way. A value that is not a JSON object cannot carry a field: that is the caller's error to
 * report, so it is returned as `undefined` rather than thrown per event.
 */
export function stampJsonField(value: string, fieldPath: string, stamp: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const keys = fieldPath.split('.');
  let at = doc as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = stamp;
  return JSON.stringify(doc);
}

/** The stamp at a dotted path of a JSON value, if it is there as text. */
export function jsonFieldOf(value: string, fieldPath: string): string | undefined {
  let at: unknown;
  try {
    at = JSON.parse(value);
  } catch {
    return undefined;
  }
  for (const key of fieldPath.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' ? at : undefined;
}
