export * from './cluster';
export * from './gateway';
export * from './group';
export * from './path';
export * from './policy';
export * from './route';
export * from './secret';
export * from './source';
