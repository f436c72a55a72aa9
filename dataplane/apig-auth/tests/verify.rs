//! Signature verification (docs/authentication.md): every tamper case,
//! the ±15 minute window, `+`, missing pieces, the Java and npm SDK forms, exact messages.
mod common;

use apig_auth::canonical::{keyed, signature_hex, CanonicalRequest, ALGORITHM, EMPTY_BODY_SHA256};
use apig_auth::config::App;
use apig_auth::signature::verify_signature;
use common::*;

const PREFIX: &str = "Incorrect app authentication information: ";

fn app() -> App {
    App::new("team/client", KEY, SECRET, Vec::new())
}

fn verify_at(request: &Request, now_ms: i64) -> String {
    let app = app();
    match verify_signature(&request.view(), |k| (k == KEY).then_some(&app), now_ms) {
        Ok(found) => format!("ok {}", found.app_key),
        Err(denial) => {
            assert_eq!((denial.status, denial.code), (401, "APIG.0303"));
            denial.message.strip_prefix(PREFIX).unwrap_or_else(|| panic!("{}", denial.message)).to_owned()
        }
    }
}

fn verify(request: &Request) -> String {
    verify_at(request, now())
}

const OK: &str = "ok 071fe245-9cf6-4d75-822d-c29945a1e06a";

fn post() -> Request {
    Request::new("POST", "h", "/x?a=1&b=2")
        .header("content-type", "application/json")
        .header("x-custom", "v")
        .body("body")
        .sign(KEY, SECRET)
}

#[test]
fn accepts_what_the_signer_produced() {
    assert_eq!(verify(&Request::new("GET", "api.example.com", "/app1?b=2&a=1&a=0&c=").sign(KEY, SECRET)), OK);
    assert_eq!(verify(&post()), OK);
    assert_eq!(verify(&Request::new("GET", "h", "/").sign(KEY, SECRET)), OK);
    assert_eq!(verify(&Request::new("GET", "h", "").sign(KEY, SECRET)), OK);
    assert_eq!(verify(&Request::new("GET", "h", "/?").sign(KEY, SECRET)), OK);
    assert_eq!(verify(&Request::new("DELETE", "h:8080", "/a/b/").body("").sign(KEY, SECRET)), OK);
}

#[test]
fn rejects_every_tampered_piece_echoing_the_canonical_request() {
    let signed = post();
    let tampered: Vec<(&str, Request)> = vec![
        ("method", signed.clone().set(":method", "PUT")),
        ("path", signed.clone().set(":path", "/y?a=1&b=2")),
        ("trailing path segment", signed.clone().set(":path", "/x/z?a=1&b=2")),
        ("query value", signed.clone().set(":path", "/x?a=2&b=2")),
        ("query name", signed.clone().set(":path", "/x?c=1&b=2")),
        ("query added", signed.clone().set(":path", "/x?a=1&b=2&c=3")),
        ("query removed", signed.clone().set(":path", "/x?a=1")),
        ("host", signed.clone().set(":authority", "h2")),
        ("content-type", signed.clone().set("content-type", "text/plain")),
        ("x-custom", signed.clone().set("x-custom", "w")),
        ("x-custom repeated", signed.clone().header("x-custom", "w")),
        ("body", signed.clone().body("other")),
        ("body removed", Request { body: None, ..signed.clone() }),
        ("date", signed.clone().set("x-sdk-date", "20230527T015432Z")),
        (
            "signature",
            signed.clone().set(
                "authorization",
                signed.get("authorization").unwrap_or_default().replace(&signed.signature(), &flip(&signed.signature())),
            ),
        ),
        ("signature length", signed.clone().set("authorization", format!("{}0", signed.get("authorization").unwrap_or_default()))),
        ("secret", post_signed_with(KEY, "wrong-secret-000")),
    ];
    for (what, request) in tampered {
        let message = verify(&request);
        assert!(message.starts_with("verify signature fail, canonicalRequest:"), "{what}: {message}");
    }
    assert_eq!(
        verify(&signed.clone().set(":method", "PUT")),
        format!(
            "verify signature fail, canonicalRequest:PUT|/x/|a=1&b=2|content-type:application/json|host:h|x-custom:v|x-sdk-date:{DATE}||content-type;host;x-custom;x-sdk-date|{}",
            apig_auth::canonical::sha256_hex(b"body")
        )
    );
    // Unsigned headers may change freely.
    assert_eq!(verify(&signed.clone().header("x-unsigned", "anything").set("user-agent", "x")), OK);
}

fn flip(signature: &str) -> String {
    let mut chars: Vec<char> = signature.chars().collect();
    chars[10] = if chars[10] == '0' { '1' } else { '0' };
    chars.into_iter().collect()
}

fn post_signed_with(key: &str, secret: &str) -> Request {
    Request::new("POST", "h", "/x?a=1&b=2")
        .header("content-type", "application/json")
        .header("x-custom", "v")
        .body("body")
        .sign(key, secret)
}

#[test]
fn accepts_a_signature_in_upper_case_hex() {
    let signed = post();
    let upper = signed.get("authorization").unwrap_or_default().replace(&signed.signature(), &signed.signature().to_uppercase());
    assert_eq!(verify(&signed.set("authorization", upper)), OK);
}

#[test]
fn allows_15_minutes_either_way_and_not_a_millisecond_more() {
    let request = Request::new("GET", "h", "/").sign(KEY, SECRET);
    assert_eq!(verify_at(&request, now() + 15 * MINUTE), OK);
    assert_eq!(verify_at(&request, now() - 15 * MINUTE), OK);
    assert_eq!(
        verify_at(&request, now() + 15 * MINUTE + 1000),
        "signature expired, signature time:20230527T015431Z,server time:20230527T020932Z"
    );
    assert!(verify_at(&request, now() + 15 * MINUTE + 1).starts_with("signature expired"));
    assert!(verify_at(&request, now() - 15 * MINUTE - 1)
        .starts_with("signature expired, signature time:20230527T015431Z,server time:20230527T013930Z"));
    assert!(verify_at(&request, now() - 16 * MINUTE).starts_with("signature expired"));
}

#[test]
fn reads_plus_literally_first_then_as_a_space() {
    // Python/JS signers: `+` literal (signed as %2B).
    assert_eq!(verify(&Request::new("GET", "h", "/q?x=a+b").sign(KEY, SECRET)), OK);
    // Go signers: `+` read as a space (signed as %20), sent as `+`.
    let go_style = Request::new("GET", "h", "/q?x=a%20b").sign(KEY, SECRET).set(":path", "/q?x=a+b");
    assert_eq!(verify(&go_style), OK);
    // The echo is always the literal reading.
    let wrong = go_style.set("x-sdk-date", "20230527T015430Z");
    assert!(verify(&wrong).contains("|x=a%2Bb|"), "{}", verify(&wrong));
}

/// Signs with an explicit canonical URI or query (forms other Huawei SDKs build).
fn signed_as(target: &str, uri: Option<&str>, query: Option<&str>) -> Request {
    let request = Request::new("GET", "h", target).header("x-sdk-date", DATE);
    let view = request.view();
    let mut canonical =
        CanonicalRequest::build(&view.method, &view.path, &view.query, |n| view.header(n), &["host", "x-sdk-date"], EMPTY_BODY_SHA256)
            .unwrap_or_else(|m| panic!("{m}"));
    if let Some(uri) = uri {
        canonical.uri = uri.to_owned();
    }
    if let Some(query) = query {
        canonical.query = query.to_owned();
    }
    let signature = signature_hex(&keyed(SECRET.as_bytes()), DATE, &canonical);
    drop(view);
    request.header("authorization", format!("{ALGORITHM} Access={KEY}, SignedHeaders=host;x-sdk-date, Signature={signature}"))
}

#[test]
fn accepts_the_java_sdks_repeated_values_in_url_order() {
    assert_eq!(verify(&signed_as("/o?b=9&a=2&a=1&a=3", None, Some("a=2&a=1&a=3&b=9"))), OK);
    // Sorted still works, and other orders do not.
    assert_eq!(verify(&signed_as("/o?b=9&a=2&a=1&a=3", None, Some("a=1&a=2&a=3&b=9"))), OK);
    let wrong = verify(&signed_as("/o?b=9&a=2&a=1&a=3", None, Some("a=3&a=2&a=1&b=9")));
    assert!(wrong.contains("|a=1&a=2&a=3&b=9|"), "{wrong}");
}

#[test]
fn accepts_the_npm_sdks_path_encoded_twice() {
    assert_eq!(verify(&signed_as("/a%20b/c%2Fd", Some("/a%2520b/c%252Fd/"), None)), OK);
    assert_eq!(verify(&signed_as("/v1/%E4%B8%AD", Some("/v1/%25E4%25B8%25AD/"), None)), OK);
    // The standard form still works; the echo is the standard form.
    assert_eq!(verify(&signed_as("/a%20b", None, None)), OK);
    let wrong = verify(&signed_as("/a%20b", Some("/a%25b/"), None));
    assert!(wrong.contains("|/a%20b/|"), "{wrong}");
}

#[test]
fn names_what_is_missing() {
    let request = Request::new("GET", "h", "/").header("x-custom", "v").sign(KEY, SECRET);
    let unknown = verify_signature(&request.view(), |_| None::<&App>, now()).err().map(|d| d.message.into_owned());
    assert_eq!(
        unknown.as_deref(),
        Some("Incorrect app authentication information: app not found, appkey 071fe245-9cf6-4d75-822d-c29945a1e06a")
    );
    assert_eq!(verify(&request.clone().without("x-custom")), "signed header x-custom not found");
    assert_eq!(verify(&request.clone().without("x-sdk-date")), "x-sdk-date header is missing");
    assert_eq!(verify(&request.clone().without("authorization")), "authorization header is missing or not SDK-HMAC-SHA256");
    assert_eq!(verify(&request.clone().set("authorization", "Basic abc")), "authorization header is missing or not SDK-HMAC-SHA256");
    assert_eq!(
        verify(&request.clone().set("x-sdk-date", "2023-05-27T01:54:31Z")),
        "x-sdk-date 2023-05-27T01:54:31Z is not in the format YYYYMMDDTHHMMSSZ"
    );
    assert_eq!(verify(&request.clone().set("x-sdk-date", "")), "x-sdk-date  is not in the format YYYYMMDDTHHMMSSZ");
    let unsigned_date = request.get("authorization").unwrap_or_default().replace(";x-sdk-date", "");
    assert_eq!(verify(&request.clone().set("authorization", unsigned_date)), "x-sdk-date must be a signed header");
    // The first missing header in sorted order is named; an empty name is a header too.
    let extra = request.get("authorization").unwrap_or_default().replace("SignedHeaders=", "SignedHeaders=zz;aa;;");
    assert_eq!(verify(&request.clone().set("authorization", extra)), "signed header  not found");
}

#[test]
fn reads_host_from_the_authority_unless_a_host_header_is_present() {
    let request = Request::new("GET", "api.example.com:8443", "/").sign(KEY, SECRET);
    assert_eq!(verify(&request), OK);
    assert!(verify(&request.clone().header("host", "other")).starts_with("verify signature fail"));
}

#[test]
fn trims_signed_header_values_and_joins_repeated_ones() {
    let request = Request::new("GET", "h", "/").header("x-a", "1").header("x-a", "2").sign(KEY, SECRET);
    assert_eq!(verify(&request), OK);
    let message = verify(&request.clone().set("x-sdk-date", "20230527T015430Z"));
    assert!(message.contains("|x-a:1,2|"), "{message}");
    let padded = Request::new("GET", "h", "/").header("x-b", "\u{a0}v\u{3000}").sign(KEY, SECRET);
    let message = verify(&padded.clone().set("x-sdk-date", "20230527T015430Z"));
    assert!(message.contains("|x-b:v|"), "{message}");
}

#[test]
fn reports_non_ascii_and_invalid_utf8_readably() {
    let request = Request::new("GET", "h", "/").sign(KEY, SECRET);
    let auth = request.get("authorization").unwrap_or_default().replace("SignedHeaders=", "SignedHeaders=x-\u{e9};");
    assert_eq!(verify(&request.clone().set("authorization", auth)), "signed header x-\u{e9} not found");
    let binary = Request::new("GET", "h", "/").header("x-bin", "v").sign(KEY, SECRET).set("x-bin", b"v\xff");
    assert!(verify(&binary).contains("|x-bin:v\u{fffd}|"));
}

#[test]
fn unsigned_payload_only_when_that_header_is_signed() {
    let unsigned = Request::new("PUT", "h", "/u").body("one").sign_unsigned_payload(KEY, SECRET);
    assert_eq!(verify(&unsigned.clone().body("two")), OK);
    // Added after signing (not signed): the body is hashed, so a changed body fails.
    let signed = Request::new("PUT", "h", "/u").body("one").sign(KEY, SECRET);
    assert_eq!(verify(&signed.clone().header("x-sdk-content-sha256", "UNSIGNED-PAYLOAD")), OK);
    assert!(verify(&signed.clone().header("x-sdk-content-sha256", "UNSIGNED-PAYLOAD").body("two")).starts_with("verify signature fail"));
    // A signed X-Sdk-Content-Sha256 with another value: the body is hashed.
    let declared = Request::new("PUT", "h", "/u").header("x-sdk-content-sha256", EMPTY_BODY_SHA256).body("").sign(KEY, SECRET);
    assert_eq!(verify(&declared), OK);
}

#[test]
fn rejects_a_signature_presented_under_another_apps_key() {
    let mine = app();
    let other = App::new("team/other", "other-key", "other-secret", Vec::new());
    let lookup = |k: &str| [&mine, &other].into_iter().find(|a| a.app_key == k);
    let request = post();
    let swapped = request.clone().set("authorization", request.get("authorization").unwrap_or_default().replace(KEY, "other-key"));
    let result = verify_signature(&swapped.view(), lookup, now()).map(|a| a.id.clone()).map_err(|d| d.message.into_owned());
    assert!(result.as_ref().is_err_and(|m| m.contains("verify signature fail")), "{result:?}");
    assert_eq!(verify_signature(&request.view(), lookup, now()).map(|a| a.id.clone()).ok().as_deref(), Some("team/client"));
}
