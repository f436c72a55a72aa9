// Public surface of the turnpike.dev/v1alpha1 API: resource shapes, condition types and reasons.
export * from './conditions';
export * from './types';
export * from './secrets';
