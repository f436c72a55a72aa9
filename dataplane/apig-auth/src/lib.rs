//! Huawei APIG app authentication and backend signing as pure functions, for the Envoy Wasm
//! filter in ../authn-filter; the canonical form is the signer's (sdk/js/src/canonical.ts). Nothing here talks to Envoy: the request, the route's facts,
//! the configuration and the clock are inputs, a [`Decision`] is the output.
//! The behaviour is documented in docs/authentication.md and dataplane/README.md.

#![forbid(unsafe_code)]

pub mod appcode;
pub mod authorization;
pub mod backend;
pub mod canonical;
pub mod config;
pub mod decide;
pub mod encoding;
pub mod errors;
pub mod grants;
pub mod headers;
pub mod hex;
pub mod js_text;
pub mod json;
pub mod rewrite;
pub mod route;
pub mod sdk_date;
pub mod signature;

pub use config::{Config, ConfigError};
pub use decide::{decide, Changes, Decision, RequestView, APP_ID_HEADER};
pub use errors::Denial;
pub use headers::Headers;
pub use route::RouteFacts;
