//! Turnpike's app-authentication filter for Envoy, as a native dynamic module: a thin adapter
//! that reads the request and the route's facts from Envoy, asks `apig_auth::decide` (pure) and
//! applies the decision. The contract with the control plane is in dataplane/README.md.
//!
//! abi.rs and envoy.rs talk to Envoy; everything else is safe Rust tested without it.

// Envoy's callbacks exist only inside Envoy: test binaries leave the boundary out.
#[cfg(not(test))]
mod abi;
#[cfg(not(test))]
mod envoy;
mod filter;
mod host;
mod module;
mod route;
mod stats;
