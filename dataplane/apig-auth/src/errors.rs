//! Huawei APIG error codes and messages (docs/authentication.md, "What callers see") and Huawei's
//! error body. Every code the gateway answers is catalogued in xds-server/src/errors/catalog.ts;
//! xds-server/src/errors/dataplane.test.ts holds the Denials below to it.

use crate::json;
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub status: u16,
    pub code: &'static str,
    pub message: Cow<'static, str>,
}

pub fn app_auth_failure(detail: impl AsRef<str>) -> Denial {
    Denial { status: 401, code: "APIG.0303", message: Cow::Owned(format!("Incorrect app authentication information: {}", detail.as_ref())) }
}

pub const APP_NOT_AUTHORIZED: Denial =
    Denial { status: 403, code: "APIG.0304", message: Cow::Borrowed("The app is not authorized to access the API.") };

/// The backend request could not be signed (e.g. its SignatureKey is not usable).
pub const BACKEND_SIGNING_FAILED: Denial =
    Denial { status: 500, code: "APIG.0705", message: Cow::Borrowed("Backend signature calculation failed.") };

/// The gateway's own failure (Envoy's local replies answer the same, from the catalog).
pub const INTERNAL_ERROR: Denial = Denial { status: 500, code: "APIG.0601", message: Cow::Borrowed("Internal server error.") };

/// A body larger than the signed-body limit (the catalog's ENTITY_TOO_LARGE).
pub const ENTITY_TOO_LARGE: Denial = Denial { status: 413, code: "APIG.0201", message: Cow::Borrowed("Request entity too large.") };

/// Huawei's error body: `JSON.stringify({ error_code, error_msg, request_id })`.
pub fn denial_body(denial: &Denial, request_id: &str) -> String {
    let mut out = String::with_capacity(64 + denial.message.len() + request_id.len());
    out.push_str("{\"error_code\":");
    json::push_string(&mut out, denial.code);
    out.push_str(",\"error_msg\":");
    json::push_string(&mut out, &denial.message);
    out.push_str(",\"request_id\":");
    json::push_string(&mut out, request_id);
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_huaweis_body() {
        assert_eq!(
            denial_body(&APP_NOT_AUTHORIZED, "r-1"),
            r#"{"error_code":"APIG.0304","error_msg":"The app is not authorized to access the API.","request_id":"r-1"}"#
        );
        let denial = app_auth_failure("signed header x-\u{e9}\"\\ not found");
        assert_eq!(
            denial_body(&denial, ""),
            "{\"error_code\":\"APIG.0303\",\"error_msg\":\"Incorrect app authentication information: signed header x-\u{e9}\\\"\\\\ not found\",\"request_id\":\"\"}"
        );
    }
}
