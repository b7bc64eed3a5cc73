import { fieldPathProblem, isJsonObject, readField, writeField } from './field-path.ts';

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
  const digits = stamp.slice(runTag.length + 1);
  // Only the form stampValue writes: "0x10", " 7" or "1e3" are not this drill's stamps.
  if (!/^[1-9][0-9]{0,15}$/.test(digits)) return undefined;
  const seq = Number(digits);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * Writes the stamp into a JSON value at a dotted path (`meta.drillSeq`), creating objects on the
 * way, own properties only (field-path.ts). A value that is not a JSON object cannot carry a
 * field: that is the caller's error to report, so it is returned as `undefined`, not thrown.
 */
export function stampJsonField(value: string, fieldPath: string, stamp: string): string | undefined {
  const doc = parseJson(value);
  if (!isJsonObject(doc) || fieldPathProblem(fieldPath) !== undefined) return undefined;
  writeField(doc, fieldPath, stamp);
  return JSON.stringify(doc);
}

/** The stamp at a dotted path of a JSON value, if it is there as text. */
export function jsonFieldOf(value: string, fieldPath: string): string | undefined {
  const at = readField(parseJson(value), fieldPath);
  return typeof at === 'string' ? at : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
