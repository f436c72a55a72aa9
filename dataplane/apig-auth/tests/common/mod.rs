//! Test helpers: requests as Envoy hands them to the filter, signed the way Huawei's signers (and
//! sdk/js/src/signer.ts) sign them. The canonical form itself is pinned by the official vectors.
#![allow(dead_code)]

use apig_auth::canonical::{body_hash, keyed, signature_hex, CanonicalRequest, ALGORITHM, UNSIGNED_PAYLOAD};
use apig_auth::{decide, sdk_date, Config, Decision, Headers, RequestView, RouteFacts};
use std::borrow::Cow;

/// The pair of Huawei's backend-verification sample, used by the derived vectors A, B, C.
pub const KEY: &str = "071fe245-9cf6-4d75-822d-c29945a1e06a";
pub const SECRET: &str = "c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5";
pub const DATE: &str = "20230527T015431Z";
pub const CODE: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/==";

pub fn now() -> i64 {
    sdk_date::parse(DATE).unwrap_or_default()
}

pub const MINUTE: i64 = 60 * 1000;

/// A request as Envoy describes it: pseudo-headers, lower-case names, raw values.
#[derive(Clone, Debug)]
pub struct Request {
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn new(method: &str, authority: &str, target: &str) -> Self {
        let headers = vec![
            (":method".to_owned(), method.as_bytes().to_vec()),
            (":path".to_owned(), target.as_bytes().to_vec()),
            (":authority".to_owned(), authority.as_bytes().to_vec()),
            (":scheme".to_owned(), b"http".to_vec()),
            ("x-request-id".to_owned(), b"r-1".to_vec()),
        ];
        Self { headers, body: None }
    }

    pub fn header(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.as_ref().to_vec()));
        self
    }

    pub fn body(mut self, body: impl AsRef<[u8]>) -> Self {
        self.body = Some(body.as_ref().to_vec());
        self
    }

    pub fn get(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    /// Replaces every value of `name` (adds it when absent).
    pub fn set(mut self, name: &str, value: impl AsRef<[u8]>) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self.header(name, value)
    }

    pub fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| n != name);
        self
    }

    pub fn view(&self) -> RequestView<'_> {
        RequestView::new(Headers::new(&self.headers), self.body.as_deref())
    }

    /// Signs like Huawei's signers: every header present is signed, plus host and x-sdk-date.
    pub fn sign(self, key: &str, secret: &str) -> Self {
        self.sign_with(key, secret, false)
    }

    pub fn sign_unsigned_payload(self, key: &str, secret: &str) -> Self {
        self.sign_with(key, secret, true)
    }

    fn sign_with(self, key: &str, secret: &str, unsigned: bool) -> Self {
        let mut request = self;
        if request.get("x-sdk-date").is_none() {
            request = request.header("x-sdk-date", DATE);
        }
        if unsigned {
            request = request.set("x-sdk-content-sha256", UNSIGNED_PAYLOAD);
        }
        let date = request.get("x-sdk-date").unwrap_or_default();
        let mut signed: Vec<String> =
            request.headers.iter().map(|(n, _)| n.clone()).filter(|n| !n.starts_with(':') && n != "x-request-id").collect();
        signed.push("host".to_owned());
        signed.sort();
        signed.dedup();
        let payload = match request.get("x-sdk-content-sha256") {
            Some(declared) => declared,
            None => body_hash(request.body.as_deref()),
        };
        let view = request.view();
        let canonical = CanonicalRequest::build(&view.method, &view.path, &view.query, |n| view.header(n), &signed, &payload)
            .unwrap_or_else(|missing| panic!("test request lacks {missing}"));
        let signature = signature_hex(&keyed(secret.as_bytes()), &date, &canonical);
        drop(view);
        request.set("authorization", format!("{ALGORITHM} Access={key}, SignedHeaders={}, Signature={signature}", signed.join(";")))
    }

    pub fn signature(&self) -> String {
        let auth = self.get("authorization").unwrap_or_default();
        auth.rsplit("Signature=").next().unwrap_or_default().to_owned()
    }
}

/// A configuration with two Apps and both kinds of SignatureKey, as the filter's JSON.
pub const CONFIG_JSON: &str = r#"{
  "max_body_bytes": 12582912,
  "apps": [
    {"id": "team/client", "app_key": "071fe245-9cf6-4d75-822d-c29945a1e06a",
     "app_secret": "c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5",
     "app_codes": ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/=="],
     "grants": [{"kind": "API", "target": "team/orders", "environments": ["RELEASE"]},
                {"kind": "API_GROUP", "target": "team/catalog", "environments": ["DEV"]}]}
  ],
  "signature_keys": [
    {"name": "team/backend", "type": "HMAC", "key": "gateway-key-01", "secret": "backend-secret-0123456789"},
    {"name": "team/basic", "type": "BASIC", "key": "gateway", "secret": "p4ssw0rd!"}
  ]
}"#;

pub fn config() -> Config {
    Config::from_json(CONFIG_JSON.as_bytes()).unwrap_or_else(|e| panic!("test config: {e}"))
}

pub const ORDERS: [(&str, &str); 5] =
    [("api", "team/orders"), ("group", "team/shop"), ("environment", "RELEASE"), ("auth", "APP"), ("app_code", "true")];

/// ORDERS with some facts replaced or added.
pub fn route(changes: &[(&str, &str)]) -> RouteFacts {
    let mut pairs: Vec<(String, String)> = ORDERS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    for (k, v) in changes {
        pairs.retain(|(key, _)| key != k);
        pairs.push(((*k).to_owned(), (*v).to_owned()));
    }
    RouteFacts::from_pairs(pairs)
}

pub fn decide_at(request: &Request, route: &RouteFacts, config: &Config, now_ms: i64) -> Decision {
    decide(&request.view(), route, config, now_ms)
}

/// `"<status> <code> <message>"` of a denial, or `allowed`.
pub fn outcome(decision: &Decision) -> String {
    match decision {
        Decision::Allow(_) => "allowed".to_owned(),
        Decision::Deny(d) => format!("{} {} {}", d.status, d.code, d.message),
    }
}

pub fn set_headers(decision: &Decision) -> Vec<(&'static str, String)> {
    match decision {
        Decision::Allow(changes) => changes.set.clone(),
        Decision::Deny(_) => Vec::new(),
    }
}

pub fn cow(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}
