export * from './load-spec.ts';
export * from './template.ts';
export * from './samples.ts';
export * from './prepare.ts';
export * from './generator.ts';
export { stampValue, seqOfStamp } from './stamp.ts';
export { ThreadedProducer, producerThreadsFor, threadedAbovePerSec } from './producer-threads.ts';
