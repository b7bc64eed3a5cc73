export * from './rule.ts';
export * from './parse-rule.ts';
export * from './format-rule.ts';
export * from './evaluate.ts';
export * from './rule-tracker.ts';
export * from './steady-state.ts';
export * from './series.ts';
