//! Verifies an SDK-HMAC-SHA256 request (docs/authentication.md): the caller's
//! SignedHeaders are followed exactly, X-Sdk-Date must be signed and within 15 minutes, and the
//! signature is compared in constant time (hmac's `verify_slice`). Messages are identical.
//!
//! When the standard canonical request does not match, the forms other Huawei signers produce are
//! tried, each only where it can differ: `+` in the query read as a space (Go signers), repeated
//! query values in URL order (Java SDK), the path encoded a second time (npm SDK). A failure
//! always echoes the standard canonical request.

use crate::authorization;
use crate::canonical::{
    body_hash, canonical_query, canonical_uri, sign, CanonicalRequest, UriEncoding, ValueOrder, ALGORITHM, UNSIGNED_PAYLOAD,
};
use crate::config::App;
use crate::decide::RequestView;
use crate::errors::{app_auth_failure, Denial};
use crate::hex;
use crate::js_text::js_trim;
use crate::sdk_date;
use hmac::Mac;

pub const MAX_SKEW_MS: i64 = 15 * 60 * 1000;
pub const CONTENT_SHA256_HEADER: &str = "x-sdk-content-sha256";

/// The verified App, or the APIG.0303 denial saying why not.
pub fn verify_signature<'c>(request: &RequestView<'_>, app_of: impl Fn(&str) -> Option<&'c App>, now_ms: i64) -> Result<&'c App, Denial> {
    let header = request.header("authorization");
    let Some(auth) = header.as_deref().and_then(authorization::parse) else {
        return Err(app_auth_failure(format!("authorization header is missing or not {ALGORITHM}")));
    };
    let Some(date_header) = request.header("x-sdk-date") else {
        return Err(app_auth_failure("x-sdk-date header is missing"));
    };
    let sdk_date = js_trim(&date_header);
    if !auth.signed_headers.iter().any(|h| h == "x-sdk-date") {
        return Err(app_auth_failure("x-sdk-date must be a signed header"));
    }
    let Some(signed_at) = sdk_date::parse(sdk_date) else {
        return Err(app_auth_failure(format!("x-sdk-date {sdk_date} is not in the format YYYYMMDDTHHMMSSZ")));
    };
    if (now_ms - signed_at).abs() > MAX_SKEW_MS {
        return Err(app_auth_failure(format!("signature expired, signature time:{sdk_date},server time:{}", sdk_date::format(now_ms))));
    }
    let Some(app) = app_of(&auth.app_key) else {
        return Err(app_auth_failure(format!("app not found, appkey {}", auth.app_key)));
    };
    let payload = payload_hash(request, &auth.signed_headers);
    let standard =
        CanonicalRequest::build(&request.method, &request.path, &request.query, |n| request.header(n), &auth.signed_headers, &payload)
            .map_err(|missing| app_auth_failure(format!("signed header {missing} not found")))?;
    // A signature that is not 32 bytes of hex can match nothing.
    if let Some(expected) = hex::decode_exact::<32>(&auth.signature) {
        let matches = |canonical: &CanonicalRequest| sign(&app.mac, sdk_date, canonical).verify_slice(&expected).is_ok();
        if matches(&standard) || variants(request, &standard).iter().any(matches) {
            return Ok(app);
        }
    }
    Err(app_auth_failure(format!("verify signature fail, canonicalRequest:{}", standard.text().replace('\n', "|"))))
}

/// The canonical requests other Huawei signers would have built, where they differ.
fn variants(request: &RequestView<'_>, standard: &CanonicalRequest) -> Vec<CanonicalRequest> {
    let mut out = Vec::new();
    let query = request.query.as_ref();
    // Go signers read `+` in a query as a space; the Python/JS ones keep it literal.
    if query.contains('+') {
        let as_space = canonical_query(&query.replace('+', "%20"), ValueOrder::Sorted);
        out.push(CanonicalRequest { query: as_space, ..standard.clone() });
    }
    // Huawei's Java SDK keeps a repeated name's values in URL order instead of sorting them.
    let as_sent = canonical_query(query, ValueOrder::AsSent);
    if as_sent != standard.query {
        out.push(CanonicalRequest { query: as_sent, ..standard.clone() });
    }
    // Huawei's npm SDK encodes the already-encoded path again.
    if request.path.contains('%') {
        let twice = canonical_uri(&request.path, UriEncoding::EncodedTwice);
        if twice != standard.uri {
            out.push(CanonicalRequest { uri: twice, ..standard.clone() });
        }
    }
    out
}

/// UNSIGNED-PAYLOAD only when X-Sdk-Content-Sha256 is itself signed; else the body's SHA-256.
fn payload_hash(request: &RequestView<'_>, signed_headers: &[String]) -> String {
    if signed_headers.iter().any(|h| h == CONTENT_SHA256_HEADER) {
        if let Some(declared) = request.header(CONTENT_SHA256_HEADER) {
            if js_trim(&declared) == UNSIGNED_PAYLOAD {
                return UNSIGNED_PAYLOAD.to_owned();
            }
        }
    }
    body_hash(request.body)
}
