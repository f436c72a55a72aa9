export * from './pipeline';
export * from './programmed';
export { STATUSLESS_KINDS } from './statuses';
