/**
 * Dotted paths into JSON objects (`meta.drillSeq`), for the stamp and a sample's key. Only own
 * properties are read or written: walking `__proto__` or `constructor` through plain property
 * access would reach Object.prototype, and writing there changes every object in the harness.
 */
const segmentPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const reserved = new Set(['__proto__', 'constructor', 'prototype']);
const maxSegments = 16;

export type JsonObject = Record<string, unknown>;

/** Why a path is unusable, or undefined when it is fine. */
export function fieldPathProblem(path: string): string | undefined {
  const segments = path.split('.');
  if (segments.length > maxSegments) return `"${path}" has more than ${maxSegments} parts`;
  for (const s of segments) {
    if (!segmentPattern.test(s)) return `"${path}" is not a dotted field path: "${s}" must be letters, digits and "_", not starting with a digit`;
    if (reserved.has(s)) return `"${path}" uses "${s}", which is reserved in JavaScript objects`;
  }
  return undefined;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at the path, or undefined when a part is missing or not an object. */
export function readField(doc: unknown, path: string): unknown {
  let at = doc;
  for (const segment of path.split('.')) {
    if (!isJsonObject(at) || !Object.hasOwn(at, segment)) return undefined;
    at = at[segment];
  }
  return at;
}

/** Sets the path in `doc` (mutated), replacing whatever non-object stands in the way. */
export function writeField(doc: JsonObject, path: string, value: unknown): void {
  const segments = path.split('.');
  let at = doc;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.hasOwn(at, segment) ? at[segment] : undefined;
    if (isJsonObject(next)) {
      at = next;
    } else {
      const made: JsonObject = {};
      define(at, segment, made);
      at = made;
    }
  }
  define(at, segments.at(-1)!, value);
}

// defineProperty, not assignment: even an unchecked "__proto__" then stays an ordinary key.
function define(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
