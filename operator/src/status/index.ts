// Status writing (leader only): desired conditions in, minimal rate-limited /status patches out.
export { StatusWriter, byStatusKey, type StatusRef, type StatusUpdate, type StatusWriterOptions, type StatusWriterStats } from './writer';
export { mergeConditions, mergeStatus, sameStatus, statusPatch, type DesiredStatus, type StatusCondition } from './conditions';
