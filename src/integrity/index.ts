export * from './stamp-location.ts';
export * from './tally.ts';
export * from './judge.ts';
export * from './end-topic.ts';
