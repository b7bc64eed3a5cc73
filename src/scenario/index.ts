export * from './schema.ts';
export * from './fault-schemas.ts';
export * from './validate.ts';
export * from './load.ts';
