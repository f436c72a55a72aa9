//! One decision, pure (docs/authentication.md): the request, the route's facts, the
//! configuration and the clock in; allow with the header changes, or a Huawei denial, out.
//! New here: on routes that authenticate, the credential that authenticated the caller is not
//! forwarded (X-Apig-AppCode always; Authorization unless backend signing replaces it).

use crate::appcode::{verify_app_code, APP_CODE_HEADER};
use crate::backend::{sign_backend_request, BackendRequest};
use crate::config::{App, Config};
use crate::errors::{Denial, APP_NOT_AUTHORIZED, BACKEND_SIGNING_FAILED, INTERNAL_ERROR};
use crate::grants::{is_granted, ApiInEnvironment};
use crate::headers::Headers;
use crate::rewrite::rewrite_path;
use crate::route::RouteFacts;
use crate::signature::{verify_signature, CONTENT_SHA256_HEADER};
use std::borrow::Cow;

/// `<namespace>/<name>` of the authenticated App (xds-server's APP_ID_HEADER).
pub const APP_ID_HEADER: &str = "x-turnpike-app-id";
pub const APP_NAME_HEADER: &str = "x-turnpike-app-name";

/// The request as Envoy describes it to the filter.
pub struct RequestView<'a> {
    pub method: Cow<'a, str>,
    /// Path as Envoy routes it (normalised), without the query string.
    pub path: Cow<'a, str>,
    /// Raw query string without `?`.
    pub query: Cow<'a, str>,
    pub headers: Headers<'a>,
    /// The whole body, when the request has one.
    pub body: Option<&'a [u8]>,
}

impl<'a> RequestView<'a> {
    /// From Envoy's headers: `:method`, and `:path` split at the first `?`.
    pub fn new(headers: Headers<'a>, body: Option<&'a [u8]>) -> Self {
        let method = headers.get(":method").unwrap_or_default();
        let (path, query) = match headers.get(":path").unwrap_or_default() {
            Cow::Borrowed(target) => {
                let (path, query) = target.split_once('?').unwrap_or((target, ""));
                (Cow::Borrowed(path), Cow::Borrowed(query))
            }
            Cow::Owned(target) => {
                let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                (Cow::Owned(path.to_owned()), Cow::Owned(query.to_owned()))
            }
        };
        Self { method, path, query, headers, body }
    }

    /// A header by lower-case name; `host` is the Host header, else the request's authority.
    pub fn header(&self, name: &str) -> Option<Cow<'a, str>> {
        if name == "host" {
            return self.headers.get("host").or_else(|| self.headers.get(":authority"));
        }
        self.headers.get(name)
    }
}

/// Header changes for the forwarded request: removals first, then sets (overwriting).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub set: Vec<(&'static str, String)>,
    /// Only headers the request has.
    pub remove: Vec<&'static str>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Allow(Changes),
    Deny(Denial),
}

/// The caller's connection is TLS: each listener overwrites `:scheme` with its own (http or https)
/// before any filter runs (xds-server/src/translate/hcm.ts), so a caller cannot claim it.
fn over_tls(request: &RequestView<'_>) -> bool {
    request.header(":scheme").is_some_and(|scheme| scheme == "https")
}

fn authenticate<'c>(request: &RequestView<'_>, route: &RouteFacts, config: &'c Config, now_ms: i64) -> Result<&'c App, Denial> {
    // A signature wins when both are present: it is the stronger proof.
    if let Some(code) = request.header(APP_CODE_HEADER) {
        if !request.headers.contains("authorization") {
            return verify_app_code(&code, route.app_code, over_tls(request), config);
        }
    }
    // decide.ts looked the App up again by the verified key; verify_signature returns that App.
    verify_signature(request, |key| config.app_by_key(key), now_ms)
}

/// Backend signing headers, none when the route names no SignatureKey.
fn backend_signing(
    request: &RequestView<'_>,
    route: &RouteFacts,
    config: &Config,
    now_ms: i64,
    changes: &mut Changes,
) -> Result<bool, Denial> {
    let Some(name) = route.signature_key.as_deref() else {
        return Ok(false);
    };
    let key = config.signature_key(name);
    let host = route.backend_host.as_deref().map(Cow::Borrowed).or_else(|| request.header("host"));
    let (Some(key), Some(host)) = (key, host) else {
        return Err(BACKEND_SIGNING_FAILED);
    };
    // A pattern that does not compile made the Node service throw: Envoy answered 500 APIG.0601.
    let path = rewrite_path(&request.path, &route.rewrite).ok_or(INTERNAL_ERROR)?;
    let backend = BackendRequest { method: &request.method, host: &host, path: &path, query: &request.query, body: request.body };
    let signed = sign_backend_request(key, &backend, now_ms);
    if signed.remove_content_sha256 && request.headers.contains(CONTENT_SHA256_HEADER) {
        changes.remove.push(CONTENT_SHA256_HEADER);
    }
    changes.set.extend(signed.set);
    Ok(true)
}

/// Decides one request. A route without facts (`auth` absent) is left alone.
pub fn decide(request: &RequestView<'_>, route: &RouteFacts, config: &Config, now_ms: i64) -> Decision {
    let Some(auth) = route.auth.as_deref() else {
        return Decision::Allow(Changes::default());
    };
    let mut changes = Changes::default();
    let authenticates = auth != "NONE";
    if authenticates {
        let app = match authenticate(request, route, config, now_ms) {
            Ok(app) => app,
            Err(denial) => return Decision::Deny(denial),
        };
        let target = ApiInEnvironment {
            api: route.api.as_deref().unwrap_or(""),
            group: route.group.as_deref().unwrap_or(""),
            environment: route.environment.as_deref().unwrap_or(""),
        };
        if !is_granted(&app.grants, &target) {
            return Decision::Deny(APP_NOT_AUTHORIZED);
        }
        changes.set.push((APP_ID_HEADER, app.id.clone()));
        changes.set.push((APP_NAME_HEADER, app.name().to_owned()));
    }
    let signed = match backend_signing(request, route, config, now_ms, &mut changes) {
        Ok(signed) => signed,
        Err(denial) => return Decision::Deny(denial),
    };
    if authenticates {
        if request.headers.contains(APP_CODE_HEADER) {
            changes.remove.push(APP_CODE_HEADER);
        }
        if !signed && request.headers.contains("authorization") {
            changes.remove.push("authorization");
        }
    }
    Decision::Allow(changes)
}
