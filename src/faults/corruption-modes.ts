/** The ways a state file can go bad (see corrupt-file.ts); kept import-free so scenario schemas can use it. */
export const corruptionModes = ['truncate', 'garbage', 'plausible'] as const;
export type CorruptionMode = (typeof corruptionModes)[number];
