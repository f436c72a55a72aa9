export * from './harness';
export * from './http';
export * from './prometheus';
