export * from './verify/errors';
export * from './verify/signature';
