export * from './ir';
export * from './translate';
