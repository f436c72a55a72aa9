//! The whole decision, as docs/authentication.md describes it, plus what is new in the filter: the
//! credential that authenticated the caller is not forwarded.
mod common;

use apig_auth::config::App;
use apig_auth::signature::verify_signature;
use apig_auth::{Changes, Config, Decision, RouteFacts};
use common::*;

fn signed() -> Request {
    Request::new("GET", "api.example.com:8080", "/orders?b=2&a=1").sign(KEY, SECRET)
}

#[test]
fn lets_a_signed_granted_request_through_with_the_app_id_and_without_its_authorization() {
    let decision = decide_at(&signed(), &route(&[]), &config(), now());
    assert_eq!(
        decision,
        Decision::Allow(Changes {
            set: vec![("x-turnpike-app-id", "team/client".into()), ("x-turnpike-app-name", "client".into())],
            remove: vec!["authorization"],
        })
    );
}

#[test]
fn leaves_routes_without_facts_alone() {
    let unsigned = Request::new("GET", "h", "/x").header("authorization", "Bearer t").header("x-apig-appcode", "c");
    assert_eq!(
        decide_at(&unsigned, &RouteFacts::from_pairs(Vec::<(String, String)>::new()), &config(), now()),
        Decision::Allow(Changes::default())
    );
}

#[test]
fn answers_403_for_an_api_or_environment_not_granted() {
    let config = config();
    assert_eq!(
        outcome(&decide_at(&signed(), &route(&[("environment", "DEV")]), &config, now())),
        "403 APIG.0304 The app is not authorized to access the API."
    );
    assert!(outcome(&decide_at(&signed(), &route(&[("api", "team/other")]), &config, now())).starts_with("403 APIG.0304"));
    // Missing facts are empty strings, which no grant names.
    let bare = RouteFacts::from_pairs([("auth", "APP")]);
    assert!(outcome(&decide_at(&signed(), &bare, &config, now())).starts_with("403 APIG.0304"));
}

#[test]
fn grants_every_api_of_a_granted_group_in_the_granted_environments() {
    let config = config();
    let catalog = [("api", "team/list"), ("group", "team/catalog")];
    let dev = route(&[catalog[0], catalog[1], ("environment", "DEV")]);
    assert_eq!(outcome(&decide_at(&signed(), &dev, &config, now())), "allowed");
    assert!(outcome(&decide_at(&signed(), &route(&catalog), &config, now())).starts_with("403 APIG.0304"));
    // An Api grant does not grant the Api's group, and the other way round.
    assert!(outcome(&decide_at(&signed(), &route(&[("api", "team/catalog"), ("group", "team/x")]), &config, now())).starts_with("403"));
    assert!(outcome(&decide_at(&signed(), &route(&[("api", "team/x"), ("group", "team/orders")]), &config, now())).starts_with("403"));
}

#[test]
fn answers_401_for_an_unknown_app_a_wrong_secret_and_no_signature() {
    let config = config();
    let unknown = Request::new("GET", "api.example.com:8080", "/orders?b=2&a=1").sign("nobody-123", "xxxxxxxxxxxxxxxx");
    assert_eq!(
        outcome(&decide_at(&unknown, &route(&[]), &config, now())),
        "401 APIG.0303 Incorrect app authentication information: app not found, appkey nobody-123"
    );
    let wrong = Request::new("GET", "api.example.com:8080", "/orders?b=2&a=1").sign(KEY, "wrong-secret-000");
    assert!(outcome(&decide_at(&wrong, &route(&[]), &config, now())).starts_with(
        "401 APIG.0303 Incorrect app authentication information: verify signature fail, canonicalRequest:GET|/orders/|a=1&b=2|"
    ));
    let none = Request::new("GET", "h", "/orders");
    assert!(outcome(&decide_at(&none, &route(&[]), &config, now())).contains("authorization header is missing"));
}

#[test]
fn authenticates_any_auth_other_than_none() {
    assert!(outcome(&decide_at(&Request::new("GET", "h", "/"), &route(&[("auth", "IAM")]), &config(), now())).starts_with("401"));
}

#[test]
fn stops_accepting_a_reset_secret_with_the_next_configuration() {
    let reset = Config::from_json(CONFIG_JSON.replace(SECRET, "a-brand-new-secret").as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert!(outcome(&decide_at(&signed(), &route(&[]), &reset, now())).contains("verify signature fail"));
}

#[test]
fn accepts_an_app_code_over_https_only_where_the_api_enables_it_and_strips_it() {
    let config = config();
    // Over HTTPS: the HTTPS listener sets `:scheme` to https.
    let with_code = |code: &str| Request::new("GET", "h", "/orders").set(":scheme", "https").header("X-Apig-AppCode", code);
    let decision = decide_at(&with_code(CODE), &route(&[]), &config, now());
    assert_eq!(
        decision,
        Decision::Allow(Changes {
            set: vec![("x-turnpike-app-id", "team/client".into()), ("x-turnpike-app-name", "client".into())],
            remove: vec!["x-apig-appcode"],
        })
    );
    // Whitespace around the code is trimmed.
    assert_eq!(outcome(&decide_at(&with_code(&format!(" {CODE}\u{a0}")), &route(&[]), &config, now())), "allowed");
    assert_eq!(
        outcome(&decide_at(&with_code(CODE).set(":scheme", "http"), &route(&[]), &config, now())),
        "401 APIG.0303 Incorrect app authentication information: app code authentication is only supported over HTTPS"
    );
    assert_eq!(
        outcome(&decide_at(&with_code(CODE), &route(&[("app_code", "false")]), &config, now())),
        "401 APIG.0303 Incorrect app authentication information: app code authentication is not enabled for this API, sign the request"
    );
    assert!(outcome(&decide_at(&with_code(CODE), &route(&[("app_code", "TRUE")]), &config, now())).contains("not enabled"));
    assert_eq!(
        outcome(&decide_at(&with_code(&"B".repeat(64)), &route(&[]), &config, now())),
        "401 APIG.0303 Incorrect app authentication information: app code not found"
    );
    assert!(outcome(&decide_at(&with_code(""), &route(&[]), &config, now())).ends_with("app code not found"));
}

#[test]
fn prefers_a_signature_when_both_are_present_and_strips_both() {
    let config = config();
    let both = Request::new("GET", "api.example.com:8080", "/orders?b=2&a=1").sign(KEY, SECRET).header("x-apig-appcode", "B".repeat(64));
    let decision = decide_at(&both, &route(&[]), &config, now());
    let Decision::Allow(changes) = decision else { panic!("{decision:?}") };
    assert_eq!(changes.remove, ["x-apig-appcode", "authorization"]);
    // A bad signature is not rescued by a good AppCode.
    let bad = Request::new("GET", "h", "/orders").header("authorization", "SDK-HMAC-SHA256 junk").header("x-apig-appcode", CODE);
    assert!(outcome(&decide_at(&bad, &route(&[]), &config, now())).contains("authorization header is missing or not"));
}

fn backend_route(extra: &[(&str, &str)]) -> RouteFacts {
    let mut facts = vec![
        ("signature_key", "team/backend"),
        ("backend_host", "orders.internal:8443"),
        ("backend_path_regex", "^/orders/([^/]+)$"),
        ("backend_path_substitution", "/api/v2/orders/\\1"),
    ];
    facts.extend_from_slice(extra);
    route(&facts)
}

/// Verifies what the backend receives with the SignatureKey as the verifier's App.
fn backend_verifies(method: &str, target: &str, host: &str, set: &[(&'static str, String)], body: Option<&[u8]>) -> Result<(), String> {
    let mut request = Request::new(method, host, target);
    for (name, value) in set {
        request = request.set(name, value);
    }
    request.body = body.map(<[u8]>::to_vec);
    let key = App::new("backend/key", "gateway-key-01", "backend-secret-0123456789", Vec::new());
    verify_signature(&request.view(), |k| (k == key.app_key).then_some(&key), now()).map(|_| ()).map_err(|d| d.message.into_owned())
}

#[test]
fn signs_the_backend_request_with_hmac_as_the_backend_receives_it() {
    let config = config();
    let request = Request::new("POST", "api.example.com", "/orders/42?x=1")
        .body(r#"{"n":1}"#)
        .sign(KEY, SECRET)
        .header("x-sdk-content-sha256", "UNSIGNED-PAYLOAD");
    let decision = decide_at(&request, &backend_route(&[]), &config, now());
    let Decision::Allow(changes) = &decision else { panic!("{decision:?}") };
    let auth = changes.set.iter().find(|(n, _)| *n == "authorization").map(|(_, v)| v.clone()).unwrap_or_default();
    assert!(auth.starts_with("SDK-HMAC-SHA256 Access=gateway-key-01, SignedHeaders=host;x-sdk-date, Signature="), "{auth}");
    assert_eq!(auth.len(), "SDK-HMAC-SHA256 Access=gateway-key-01, SignedHeaders=host;x-sdk-date, Signature=".len() + 64);
    assert!(changes.set.contains(&("x-sdk-date", DATE.to_owned())));
    assert!(changes.set.contains(&("x-turnpike-app-id", "team/client".to_owned())));
    // The backend's Authorization replaces the caller's: it is set, not removed.
    assert_eq!(changes.remove, ["x-sdk-content-sha256"]);
    assert_eq!(backend_verifies("POST", "/api/v2/orders/42?x=1", "orders.internal:8443", &changes.set, Some(br#"{"n":1}"#)), Ok(()));
    // The signature covers the rewritten path, the backend host and the body.
    assert!(backend_verifies("POST", "/orders/42?x=1", "orders.internal:8443", &changes.set, Some(br#"{"n":1}"#)).is_err());
    assert!(backend_verifies("POST", "/api/v2/orders/42?x=1", "api.example.com", &changes.set, Some(br#"{"n":1}"#)).is_err());
    assert!(backend_verifies("POST", "/api/v2/orders/42?x=1", "orders.internal:8443", &changes.set, Some(b"{}")).is_err());
}

#[test]
fn signs_with_the_callers_host_and_the_literal_backend_path_when_the_route_says_so() {
    let config = config();
    let facts = route(&[("auth", "NONE"), ("signature_key", "team/backend"), ("backend_path", "/api/orders")]);
    let request = Request::new("GET", "api.example.com:8080", "/orders?b=2");
    let Decision::Allow(changes) = decide_at(&request, &facts, &config, now()) else { panic!("denied") };
    assert_eq!(changes.remove, Vec::<&str>::new());
    assert_eq!(backend_verifies("GET", "/api/orders?b=2", "api.example.com:8080", &changes.set, None), Ok(()));
}

#[test]
fn signs_none_apis_too_with_basic_and_fails_500_when_the_key_is_not_usable() {
    let config = config();
    let none = [("auth", "NONE"), ("signature_key", "team/basic")];
    let unsigned = Request::new("GET", "h", "/open").header("authorization", "Bearer caller").header("x-apig-appcode", "c");
    // NONE routes authenticate nobody: the caller's headers are not theirs to strip.
    assert_eq!(
        decide_at(&unsigned, &route(&none), &config, now()),
        Decision::Allow(Changes { set: vec![("authorization", "Basic Z2F0ZXdheTpwNHNzdzByZCE=".into())], remove: vec![] })
    );
    let gone = route(&[("auth", "NONE"), ("signature_key", "team/gone")]);
    assert_eq!(outcome(&decide_at(&unsigned, &gone, &config, now())), "500 APIG.0705 Backend signature calculation failed.");
    let no_host = Request { headers: unsigned.headers.iter().filter(|(n, _)| n != ":authority").cloned().collect(), body: None };
    assert_eq!(
        outcome(&decide_at(&no_host, &route(&[("auth", "NONE"), ("signature_key", "team/backend")]), &config, now())),
        "500 APIG.0705 Backend signature calculation failed."
    );
    let broken_regex =
        route(&[("auth", "NONE"), ("signature_key", "team/backend"), ("backend_path_regex", "(["), ("backend_path_substitution", "/x")]);
    assert_eq!(outcome(&decide_at(&unsigned, &broken_regex, &config, now())), "500 APIG.0601 Internal server error.");
}

#[test]
fn first_app_in_id_order_wins_a_duplicate_app_key_or_code() {
    let json = r#"{"apps": [
        {"id": "b/second", "app_key": "K", "app_secret": "s2", "app_codes": ["C", "D"], "grants": [{"kind": "API", "target": "team/orders", "environments": ["RELEASE"]}]},
        {"id": "a/first", "app_key": "K", "app_secret": "s1", "app_codes": ["C"], "grants": [{"kind": "API", "target": "team/orders", "environments": ["RELEASE"]}]}
    ]}"#;
    let config = Config::from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.app_by_key("K").map(|a| a.id.as_str()), Some("a/first"));
    assert_eq!(config.app_by_code("C").map(|a| a.id.as_str()), Some("a/first"));
    assert_eq!(config.app_by_code("D").map(|a| a.id.as_str()), Some("b/second"));
    let request = Request::new("GET", "h", "/orders").sign("K", "s1");
    assert_eq!(set_headers(&decide_at(&request, &route(&[]), &config, now()))[0], ("x-turnpike-app-id", "a/first".to_owned()));
    assert!(config.signature_key("none").is_none());
}
