//! A route's facts: the values the control plane sets in the route's metadata
//! (`filter_metadata["turnpike.authn"]`), keyed exactly like `AuthnFacts` of
//! xds-server/src/translate/authn.ts. Absent keys mean "not applicable".

use crate::rewrite::{path_rewrite, PathRewrite};
use std::collections::HashMap;

#[derive(Debug)]
pub struct RouteFacts {
    /// `APP` (authenticate) or `NONE` (sign only); None: the filter leaves the route alone.
    pub auth: Option<String>,
    /// `<namespace>/<name>` of the Api and of its ApiGroup.
    pub api: Option<String>,
    pub group: Option<String>,
    pub environment: Option<String>,
    /// `app_code == "true"`: X-Apig-AppCode is accepted.
    pub app_code: bool,
    /// `<namespace>/<name>` of the SignatureKey the backend request is signed with.
    pub signature_key: Option<String>,
    /// The Host the backend receives when the route rewrites it.
    pub backend_host: Option<String>,
    /// `backend_path`, or `backend_path_regex` + `backend_path_substitution`, compiled.
    pub rewrite: PathRewrite,
}

/// Every key `from_pairs` reads: what a reader of the route's metadata asks for.
pub const FACT_KEYS: [&str; 10] = [
    "api",
    "group",
    "environment",
    "auth",
    "app_code",
    "signature_key",
    "backend_host",
    "backend_path",
    "backend_path_regex",
    "backend_path_substitution",
];

impl RouteFacts {
    /// From the metadata's string values; unknown keys are ignored.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut map: HashMap<String, String> = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        let rewrite = path_rewrite(
            map.get("backend_path").map(String::as_str),
            map.get("backend_path_regex").map(String::as_str),
            map.get("backend_path_substitution").map(String::as_str),
        );
        Self {
            app_code: map.get("app_code").is_some_and(|v| v == "true"),
            auth: map.remove("auth"),
            api: map.remove("api"),
            group: map.remove("group"),
            environment: map.remove("environment"),
            signature_key: map.remove("signature_key"),
            backend_host: map.remove("backend_host"),
            rewrite,
        }
    }

    /// Whether the filter has anything to do on this route.
    pub fn applies(&self) -> bool {
        self.auth.is_some()
    }
}
