//! The configuration JSON of dataplane/README.md: what is accepted, what refuses the whole
//! configuration, and that nothing secret can be printed.
use apig_auth::config::DEFAULT_MAX_BODY_BYTES;
use apig_auth::Config;

fn refused(json: &str) -> String {
    match Config::from_json(json.as_bytes()) {
        Ok(config) => panic!("accepted {config:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn accepts_the_documented_shape_and_defaults() {
    let config = Config::from_json(br#"{"max_body_bytes": 1024, "apps": [{"id": "ns/app", "app_key": "k", "app_secret": "s", "app_codes": ["c"],
        "grants": [{"kind": "API", "target": "ns/a", "environments": ["RELEASE"]}, {"kind": "API_GROUP", "target": "ns/g", "environments": []}]}],
        "signature_keys": [{"name": "ns/key", "type": "HMAC", "key": "k", "secret": "s"}, {"name": "ns/b", "type": "BASIC", "key": "k", "secret": "s"}],
        "a_field_from_a_newer_control_plane": true}"#)
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.max_body_bytes, 1024);
    assert_eq!((config.app_count(), config.signature_key_count()), (1, 2));
    assert_eq!(config.app_by_key("k").map(|a| a.name()), Some("app"));
    assert!(config.app_by_code("c").is_some() && config.app_by_code("c ").is_none());
    let empty = Config::from_json(b"{}").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((empty.max_body_bytes, empty.app_count()), (DEFAULT_MAX_BODY_BYTES, 0));
}

#[test]
fn refuses_anything_malformed_without_quoting_it() {
    assert!(refused("").starts_with("invalid configuration JSON (Eof error"));
    assert!(refused("{\"apps\": [").starts_with("invalid configuration JSON"));
    assert_eq!(refused("[]"), "invalid configuration: the configuration is not an object");
    assert_eq!(refused(r#"{"apps": [["a/b", "k", "s"]]}"#), "invalid configuration: an app is not an object");
    assert_eq!(
        refused(r#"{"apps": [{"id": "a/b", "app_key": "k", "grants": [["API", "x", []]]}]}"#),
        "invalid configuration: a grant is not an object"
    );
    assert_eq!(refused(r#"{"signature_keys": [[]]}"#), "invalid configuration: a signature key is not an object");
    // A secret of the wrong type: the message says where, never what.
    let message = refused(r#"{"apps": [{"id": "a/b", "app_key": "k", "app_secret": 1234567890}]}"#);
    assert!(!message.contains("1234567890"), "{message}");
    let message = refused(r#"{"signature_keys": [{"name": "n", "type": "HMAC", "secret": ["hunter2"]}]}"#);
    assert!(!message.contains("hunter2"), "{message}");
    assert_eq!(refused(r#"{"apps": [{"id": "a/b"}]}"#), "App a/b: id and app_key are required");
    assert_eq!(refused(r#"{"apps": [{"app_key": "k"}]}"#), "App : id and app_key are required");
    assert_eq!(
        refused(r#"{"apps": [{"id": "a/b", "app_key": "k", "grants": [{"kind": "Api"}]}]}"#),
        "App a/b: grant kind is not API or API_GROUP"
    );
    assert_eq!(refused(r#"{"signature_keys": [{"name": "n", "type": "AES"}]}"#), "SignatureKey n: type is not HMAC or BASIC");
    assert!(refused(r#"{"max_body_bytes": -1}"#).starts_with("invalid configuration (Data error"));
    assert!(refused(r#"{"apps": {}}"#).starts_with("invalid configuration (Data error"));
}

#[test]
fn never_prints_a_secret() {
    let config = Config::from_json(
        br#"{"apps": [{"id": "ns/app", "app_key": "key-1", "app_secret": "secret-1", "app_codes": ["code-1"]}],
        "signature_keys": [{"name": "k", "type": "BASIC", "key": "gw", "secret": "secret-2"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let printed = format!("{config:?}");
    assert_eq!(printed, "Config { max_body_bytes: 12582912, apps: 1, app_codes: 1, signature_keys: 1, secrets: [redacted] }");
}
