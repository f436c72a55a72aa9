//! The filter's configuration (the JSON of dataplane/README.md, delivered over ECDS), indexed for
//! the hot path: Apps by AppKey and by the SHA-256 of each AppCode
//! (so lookup timing says nothing about the codes), first App in `id` order winning a duplicate;
//! SignatureKeys by name. Secrets are kept only as keyed MACs, digests or ready header values,
//! and nothing here prints one: [`Config`]'s Debug shows counts.

use crate::canonical::{keyed, HmacSha256};
use crate::grants::{Grant, GrantKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Huawei's limit on a signed request's body (12 MB), the default of `max_body_bytes`.
pub const DEFAULT_MAX_BODY_BYTES: usize = 12 * 1024 * 1024;

pub struct App {
    /// `<namespace>/<name>`.
    pub id: String,
    pub app_key: String,
    /// The AppSecret, absorbed into an HMAC-SHA256 key.
    pub mac: HmacSha256,
    pub grants: Vec<Grant>,
}

impl App {
    pub fn new(id: &str, app_key: &str, app_secret: &str, grants: Vec<Grant>) -> Self {
        Self { id: id.to_owned(), app_key: app_key.to_owned(), mac: keyed(app_secret.as_bytes()), grants }
    }

    /// The App's name (the part of `id` after the first `/`).
    pub fn name(&self) -> &str {
        self.id.split_once('/').map_or(self.id.as_str(), |(_, name)| name)
    }
}

pub enum SignatureKey {
    /// SDK-HMAC-SHA256 with `key` in `Access=`, the secret absorbed into `mac`.
    Hmac { key: String, mac: HmacSha256 },
    /// `Authorization: Basic base64(key:secret)`, computed once.
    Basic { authorization: String },
}

pub struct Config {
    pub max_body_bytes: usize,
    apps: Vec<App>,
    by_key: HashMap<String, usize>,
    by_code: HashMap<[u8; 32], usize>,
    signature_keys: HashMap<String, SignatureKey>,
}

/// Why a configuration was refused: never a value from it, so it can be logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Config {{ max_body_bytes: {}, apps: {}, app_codes: {}, signature_keys: {}, secrets: [redacted] }}",
            self.max_body_bytes,
            self.apps.len(),
            self.by_code.len(),
            self.signature_keys.len()
        )
    }
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    max_body_bytes: Option<usize>,
    #[serde(default)]
    apps: Vec<RawApp>,
    #[serde(default)]
    signature_keys: Vec<RawSignatureKey>,
}

#[derive(Deserialize)]
struct RawApp {
    #[serde(default)]
    id: String,
    #[serde(default)]
    app_key: String,
    #[serde(default)]
    app_secret: String,
    #[serde(default)]
    app_codes: Vec<String>,
    #[serde(default)]
    grants: Vec<RawGrant>,
}

#[derive(Deserialize)]
struct RawGrant {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    environments: Vec<String>,
}

#[derive(Deserialize)]
struct RawSignatureKey {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    secret: String,
}

/// serde reads a struct from an array too (`[]` would be an empty configuration): refuse that.
fn require_objects(root: &serde_json::Value) -> Result<(), ConfigError> {
    let object = |value: &serde_json::Value, what: &str| match value {
        serde_json::Value::Object(_) => Ok(()),
        _ => Err(ConfigError(format!("invalid configuration: {what} is not an object"))),
    };
    object(root, "the configuration")?;
    let items = |key: &str| root.get(key).and_then(serde_json::Value::as_array).into_iter().flatten();
    for app in items("apps") {
        object(app, "an app")?;
        for grant in app.get("grants").and_then(serde_json::Value::as_array).into_iter().flatten() {
            object(grant, "a grant")?;
        }
    }
    items("signature_keys").try_for_each(|key| object(key, "a signature key"))
}

fn code_digest(code: &str) -> [u8; 32] {
    Sha256::digest(code.as_bytes()).into()
}

fn grant(raw: RawGrant, app: &str) -> Result<Grant, ConfigError> {
    let kind = match raw.kind.as_str() {
        "API" => GrantKind::Api,
        "API_GROUP" => GrantKind::ApiGroup,
        _ => return Err(ConfigError(format!("App {app}: grant kind is not API or API_GROUP"))),
    };
    Ok(Grant { kind, target: raw.target, environments: raw.environments.into_iter().collect::<HashSet<_>>() })
}

fn signature_key(raw: RawSignatureKey) -> Result<(String, SignatureKey), ConfigError> {
    let key = match raw.kind.as_str() {
        "HMAC" => SignatureKey::Hmac { mac: keyed(raw.secret.as_bytes()), key: raw.key },
        "BASIC" => {
            let token = crate::backend::base64(format!("{}:{}", raw.key, raw.secret).as_bytes());
            SignatureKey::Basic { authorization: format!("Basic {token}") }
        }
        _ => return Err(ConfigError(format!("SignatureKey {}: type is not HMAC or BASIC", raw.name))),
    };
    Ok((raw.name, key))
}

impl Config {
    /// Parses the JSON configuration; any error refuses it whole (the filter keeps the last good
    /// one). Error texts name the place, never a value.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        // serde_json's messages may quote a value (a secret of the wrong type): keep only where.
        let where_ = |e: serde_json::Error| {
            ConfigError(format!("invalid configuration JSON ({:?} error at line {} column {})", e.classify(), e.line(), e.column()))
        };
        let value: serde_json::Value = serde_json::from_slice(json).map_err(where_)?;
        require_objects(&value)?;
        let raw: RawConfig =
            serde_json::from_value(value).map_err(|e| ConfigError(format!("invalid configuration ({:?} error)", e.classify())))?;
        let mut apps = Vec::with_capacity(raw.apps.len());
        let mut codes = Vec::new();
        for app in raw.apps {
            if app.id.is_empty() || app.app_key.is_empty() {
                return Err(ConfigError(format!("App {}: id and app_key are required", app.id)));
            }
            let grants = app.grants.into_iter().map(|g| grant(g, &app.id)).collect::<Result<Vec<_>, _>>()?;
            codes.push(app.app_codes.iter().map(|c| code_digest(c)).collect::<Vec<_>>());
            apps.push(App::new(&app.id, &app.app_key, &app.app_secret, grants));
        }
        let keys = raw.signature_keys.into_iter().map(signature_key).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::new(apps, codes, keys, raw.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES)))
    }

    /// `code_digests[i]` are the SHA-256 digests of `apps[i]`'s AppCodes. A later SignatureKey of
    /// the same name replaces an earlier one.
    pub fn new(
        apps: Vec<App>,
        code_digests: Vec<Vec<[u8; 32]>>,
        signature_keys: Vec<(String, SignatureKey)>,
        max_body_bytes: usize,
    ) -> Self {
        let mut order: Vec<usize> = (0..apps.len()).collect();
        order.sort_by(|&a, &b| apps[a].id.cmp(&apps[b].id));
        let mut by_key = HashMap::with_capacity(apps.len());
        let mut by_code = HashMap::new();
        for i in order {
            by_key.entry(apps[i].app_key.clone()).or_insert(i);
            for digest in code_digests.get(i).map_or(&[][..], Vec::as_slice) {
                by_code.entry(*digest).or_insert(i);
            }
        }
        Self { max_body_bytes, apps, by_key, by_code, signature_keys: signature_keys.into_iter().collect() }
    }

    pub fn app_by_key(&self, app_key: &str) -> Option<&App> {
        self.by_key.get(app_key).map(|&i| &self.apps[i])
    }

    pub fn app_by_code(&self, app_code: &str) -> Option<&App> {
        self.by_code.get(&code_digest(app_code)).map(|&i| &self.apps[i])
    }

    pub fn signature_key(&self, name: &str) -> Option<&SignatureKey> {
        self.signature_keys.get(name)
    }

    pub fn app_count(&self) -> usize {
        self.apps.len()
    }

    pub fn signature_key_count(&self) -> usize {
        self.signature_keys.len()
    }
}
