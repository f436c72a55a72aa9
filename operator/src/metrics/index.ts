export { ControlPlaneMetrics } from './registry';
export { observeXds, type XdsMetricsOptions } from './xds';
export { fleetLabel, typeLabel } from './labels';
