//! Huawei's official SDK-HMAC-SHA256 vector and the derived vectors A, B, C (the same ones
//! sdk/js/src/signer.test.ts checks), signed and then verified.
mod common;

use apig_auth::canonical::{
    canonical_query, canonical_uri, keyed, sha256_hex, signature_hex, CanonicalRequest, UriEncoding, ValueOrder, EMPTY_BODY_SHA256,
};
use apig_auth::config::App;
use apig_auth::signature::verify_signature;
use apig_auth::{hex, sdk_date};
use common::*;

const OFFICIAL_KEY: &str = "QTWAOYTTINDUT2QVKYUC";
const OFFICIAL_SECRET: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
const VPCS: &str = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0";

fn official_request() -> Request {
    Request::new("GET", "service.region.example.com", VPCS)
        .header("content-type", "application/json")
        .header("x-sdk-date", "20191115T033655Z")
        .sign(OFFICIAL_KEY, OFFICIAL_SECRET)
}

fn verifies(request: &Request, key: &str, secret: &str, now_ms: i64) -> Result<(), String> {
    let app = App::new("test/app", key, secret, Vec::new());
    verify_signature(&request.view(), |k| (k == key).then_some(&app), now_ms).map(|_| ()).map_err(|d| d.message.into_owned())
}

#[test]
fn official_vector_canonical_request_hash_and_signature() {
    let view = official_request();
    let view = view.view();
    let canonical = CanonicalRequest::build(
        &view.method,
        &view.path,
        &view.query,
        |n| view.header(n),
        &["content-type", "host", "x-sdk-date"],
        EMPTY_BODY_SHA256,
    )
    .unwrap_or_else(|m| panic!("{m}"));
    assert_eq!(
        canonical.text(),
        "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
         content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n\
         content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(hex::encode(&canonical.sha256()), "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    assert_eq!(sha256_hex(canonical.text().as_bytes()), "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
    assert_eq!(
        signature_hex(&keyed(OFFICIAL_SECRET.as_bytes()), "20191115T033655Z", &canonical),
        "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
    );
}

#[test]
fn official_vector_authorization_header_and_verification() {
    let request = official_request();
    assert_eq!(
        request.get("authorization").as_deref(),
        Some("SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe")
    );
    let at = sdk_date::parse("20191115T033655Z").unwrap_or_default();
    assert_eq!(verifies(&request, OFFICIAL_KEY, OFFICIAL_SECRET, at), Ok(()));
    // The header Huawei documents, verbatim (lower-case method on the canonical side too).
    let documented = Request::new("GET", "service.region.example.com", VPCS)
        .header("content-type", "application/json")
        .header("x-sdk-date", "20191115T033655Z")
        .header("authorization", "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    assert_eq!(verifies(&documented, OFFICIAL_KEY, OFFICIAL_SECRET, at), Ok(()));
}

#[test]
fn vector_a_repeated_and_empty_query_values() {
    assert_eq!(canonical_query("b=2&a=1&a=0&c=", ValueOrder::Sorted), "a=0&a=1&b=2&c=");
    let request = Request::new("GET", "api.example.com", "/app1?b=2&a=1&a=0&c=").sign(KEY, SECRET);
    assert_eq!(request.signature(), "9a7987aba4aee7bc629d1338308f497bcd1192fcd2cbbf40bb79534b9d2aa1b8");
    assert_eq!(verifies(&request, KEY, SECRET, now()), Ok(()));
}

#[test]
fn vector_b_non_ascii_path_space_and_plus_json_body() {
    assert_eq!(canonical_uri("/v1/orders/中文 x", UriEncoding::Standard), "/v1/orders/%E4%B8%AD%E6%96%87%20x/");
    assert_eq!(canonical_query("q=a b&q=a+b", ValueOrder::Sorted), "q=a%20b&q=a%2Bb");
    assert_eq!(sha256_hex(br#"{"a":1}"#), "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
    // As written in the vector, and as a client puts it on the wire (percent-encoded).
    for target in ["/v1/orders/中文 x?q=a b&q=a+b", "/v1/orders/%E4%B8%AD%E6%96%87%20x?q=a%20b&q=a+b"] {
        let request = Request::new("POST", "api.example.com", target)
            .header("content-type", "application/json")
            .body(br#"{"a":1}"#)
            .sign(KEY, SECRET);
        assert_eq!(request.signature(), "2c0be50a042402e6cffbd0105b53d2b4e52dc76039ad0001a858b13e3cc6c4de", "{target}");
        assert_eq!(verifies(&request, KEY, SECRET, now()), Ok(()));
    }
}

#[test]
fn vector_c_unsigned_payload_and_a_host_with_a_port() {
    let request = Request::new("PUT", "api.example.com:8443", "/upload/").body("anything at all").sign_unsigned_payload(KEY, SECRET);
    assert!(request.get("authorization").unwrap_or_default().contains("SignedHeaders=host;x-sdk-content-sha256;x-sdk-date,"));
    assert_eq!(request.signature(), "84f1d7db1ac1b43741b8d8f35c11fb2a1ba638664fa4b15785fb2c306cb038f3");
    assert_eq!(verifies(&request, KEY, SECRET, now()), Ok(()));
    // UNSIGNED-PAYLOAD: any body verifies.
    let other_body = request.clone().body("something else");
    assert_eq!(verifies(&other_body, KEY, SECRET, now()), Ok(()));
}

#[test]
fn canonical_uri_edge_cases() {
    assert_eq!(canonical_uri("/a", UriEncoding::Standard), canonical_uri("/a/", UriEncoding::Standard));
    assert_eq!(canonical_uri("/", UriEncoding::Standard), "/");
    assert_eq!(canonical_uri("", UriEncoding::Standard), "/");
    assert_eq!(canonical_uri("a/b", UriEncoding::Standard), "/a/b/");
    assert_eq!(canonical_uri("/x%20y", UriEncoding::Standard), "/x%20y/");
    assert_eq!(canonical_uri("//a//", UriEncoding::Standard), "//a//");
    assert_eq!(canonical_uri("/a%2Fb", UriEncoding::Standard), "/a%2Fb/");
    assert_eq!(canonical_uri("/100%", UriEncoding::Standard), "/100%25/");
    assert_eq!(canonical_uri("/%FF", UriEncoding::Standard), "/%25FF/");
    assert_eq!(canonical_uri("/a%20b", UriEncoding::EncodedTwice), "/a%2520b/");
    assert_eq!(canonical_uri("/a b", UriEncoding::EncodedTwice), "/a%20b/");
}

#[test]
fn canonical_query_edge_cases() {
    assert_eq!(canonical_query("", ValueOrder::Sorted), "");
    assert_eq!(canonical_query("&&=x&a", ValueOrder::Sorted), "a=");
    assert_eq!(canonical_query("B=1&a=2", ValueOrder::Sorted), "B=1&a=2");
    assert_eq!(canonical_query("a=1=2", ValueOrder::Sorted), "a=1%3D2");
    assert_eq!(canonical_query("%61=%zz&a=%7E", ValueOrder::Sorted), "a=%25zz&a=~");
    assert_eq!(canonical_query("a=2&b=0&a=1", ValueOrder::AsSent), "a=2&a=1&b=0");
    // Sorted like JavaScript's `<`: UTF-16 code units (U+1F600 before U+FF21).
    assert_eq!(canonical_query("k=%EF%BC%A1&k=%F0%9F%98%80", ValueOrder::Sorted), "k=%F0%9F%98%80&k=%EF%BC%A1");
}
