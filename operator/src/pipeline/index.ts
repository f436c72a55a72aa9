export * from './pipeline';
export * from './programmed';
