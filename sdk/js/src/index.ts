export * from './canonical';
export * from './signer';
