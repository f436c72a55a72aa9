//! Turnpike's app-authentication filter for Envoy (proxy-wasm): a thin adapter that reads the
//! request and the route's facts from Envoy, asks `apig_auth::decide` (pure) and applies the
//! decision. The contract with the control plane is in dataplane/README.md.

mod entry;
mod http;
mod metadata;
mod metrics;
mod root;
mod route_cache;
mod stats;
