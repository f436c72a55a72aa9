// Leader election: every replica serves xDS; only the Lease holder writes status.
export { LeaderElector, type LeaderElectorOptions } from './elector';
export { DEFAULT_TIMINGS, type LeaseTimings } from './lease';
export { EnvoyCensus } from './census';
