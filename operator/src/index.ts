// The operator's public surface for other packages (e2e, bench). Nothing here imports the
// Kubernetes client, so it loads anywhere.
export * from './demo/echo';
export { loadConfig, type Config, type GatewayConfig } from './config';
export { LAUNCH_ENV, NODE_FLAGS } from './heap';
export { createLogger, redact, type Logger } from './log';
export { readManifests } from './provider/files';
export { toResourceSet, type KubeObject, type ResourceSet } from './resources/resourceset';
export { translateResourceSet, Translator, type Translation, type ValidateFn } from './translate';
export { schemaValidate } from './validate/validate-fn';
export { MODULE_SEARCH_PATH, writeBootstrap } from './envoy/launch';
