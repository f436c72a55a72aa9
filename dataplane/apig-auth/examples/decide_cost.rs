//! How long one decision takes natively (no Envoy, no Wasm): a signed GET with a query and a
//! signed POST with a 1 KB body, against 1,000 configured Apps. A measurement, not a test:
//! `cargo run --release --example decide_cost` (DECIDE_ROUNDS=n to change the 200,000 rounds).
use apig_auth::canonical::{body_hash, keyed, signature_hex, CanonicalRequest, ALGORITHM};
use apig_auth::{decide, sdk_date, Config, Decision, Headers, RequestView, RouteFacts};
use std::hint::black_box;
use std::time::Instant;

const KEY: &str = "071fe245-9cf6-4d75-822d-c29945a1e06a";
const SECRET: &str = "c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5";
const DATE: &str = "20230527T015431Z";

fn headers(method: &str, target: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut list: Vec<(String, Vec<u8>)> = [
        (":authority", "api.example.com"),
        (":path", target),
        (":method", method),
        (":scheme", "http"),
        ("user-agent", "bench/1.0"),
        ("accept", "*/*"),
        ("content-type", "application/json"),
        ("x-sdk-date", DATE),
        ("x-forwarded-proto", "http"),
        ("x-request-id", "2b1c2b8e-8d4b-4c1e-9d0a-7d3c1f3a9b11"),
    ]
    .iter()
    .map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec()))
    .collect();
    let signed = ["content-type", "host", "x-sdk-date"];
    let view = RequestView::new(Headers::new(&list), Some(body));
    let payload = body_hash(Some(body));
    let canonical = CanonicalRequest::build(&view.method, &view.path, &view.query, |n| view.header(n), &signed, &payload)
        .unwrap_or_else(|m| panic!("{m}"));
    let signature = signature_hex(&keyed(SECRET.as_bytes()), DATE, &canonical);
    drop(view);
    list.push((
        "authorization".into(),
        format!("{ALGORITHM} Access={KEY}, SignedHeaders={}, Signature={signature}", signed.join(";")).into_bytes(),
    ));
    list
}

fn main() {
    let mut apps: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"id": "team/app{i:04}", "app_key": "key-{i}", "app_secret": "secret-{i}", "app_codes": ["code-{i}"]}}"#))
        .collect();
    apps.push(format!(
        r#"{{"id": "team/client", "app_key": "{KEY}", "app_secret": "{SECRET}", "grants": [{{"kind": "API", "target": "team/orders", "environments": ["RELEASE"]}}]}}"#
    ));
    let config = Config::from_json(format!(r#"{{"apps": [{}]}}"#, apps.join(",")).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let route = RouteFacts::from_pairs([("api", "team/orders"), ("group", "team/shop"), ("environment", "RELEASE"), ("auth", "APP")]);
    let now = sdk_date::parse(DATE).unwrap_or_default();
    let body = vec![b'x'; 1024];
    for (name, list, body) in [
        ("GET with a query", headers("GET", "/orders/list?limit=10&marker=abc&b=2&a=1", b""), None),
        ("POST, 1 KB body", headers("POST", "/orders", &body), Some(body.as_slice())),
    ] {
        let rounds: u32 = std::env::var("DECIDE_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(200_000);
        let start = Instant::now();
        for _ in 0..rounds {
            let request = RequestView::new(Headers::new(black_box(&list)), body);
            assert!(matches!(black_box(decide(&request, &route, &config, now)), Decision::Allow(_)));
        }
        let per = start.elapsed().as_nanos() as f64 / f64::from(rounds) / 1000.0;
        println!("decide, {name}: {per:.2} µs");
    }
}
