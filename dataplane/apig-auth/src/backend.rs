//! Backend signing with a SignatureKey (docs/authentication.md): HMAC signs the request the
//! backend will receive with SDK-HMAC-SHA256 exactly as Huawei's client SDKs do (signed headers
//! `host;x-sdk-date`, the body hashed); BASIC sets `Authorization: Basic base64(key:secret)`.

use crate::canonical::{body_hash, signature_hex, CanonicalRequest, ALGORITHM};
use crate::config::SignatureKey;
use crate::sdk_date;
use std::borrow::Cow;

/// The request as the backend will receive it.
pub struct BackendRequest<'a> {
    pub method: &'a str,
    /// The Host header the backend receives.
    pub host: &'a str,
    /// Path after the route's rewrite, without the query string.
    pub path: &'a str,
    /// Raw query string without `?` (Envoy forwards it unchanged).
    pub query: &'a str,
    pub body: Option<&'a [u8]>,
}

/// Headers to set on the forwarded request, and whether the caller's X-Sdk-Content-Sha256 must go
/// (it would tell the backend not to hash a body this signature covers).
pub struct BackendHeaders {
    pub set: Vec<(&'static str, String)>,
    pub remove_content_sha256: bool,
}

const SIGNED_HEADERS: [&str; 2] = ["host", "x-sdk-date"];

pub fn sign_backend_request(key: &SignatureKey, request: &BackendRequest<'_>, now_ms: i64) -> BackendHeaders {
    match key {
        SignatureKey::Basic { authorization } => {
            BackendHeaders { set: vec![("authorization", authorization.clone())], remove_content_sha256: false }
        }
        SignatureKey::Hmac { key, mac } => {
            let date = sdk_date::format(now_ms);
            let header = |name: &str| match name {
                "host" => Some(Cow::Borrowed(request.host)),
                "x-sdk-date" => Some(Cow::Borrowed(date.as_str())),
                _ => None,
            };
            let payload = body_hash(request.body);
            let canonical = CanonicalRequest::build(request.method, request.path, request.query, header, &SIGNED_HEADERS, &payload)
                .unwrap_or_else(|missing| unreachable!("backend signed header {missing} has a value"));
            let signature = signature_hex(mac, &date, &canonical);
            let authorization = format!("{ALGORITHM} Access={key}, SignedHeaders={}, Signature={signature}", SIGNED_HEADERS.join(";"));
            BackendHeaders { set: vec![("x-sdk-date", date), ("authorization", authorization)], remove_content_sha256: true }
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4), as Node's `toString('base64')`.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8) | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc4648() {
        for (input, expected) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        {
            assert_eq!(base64(input.as_bytes()), expected);
        }
        assert_eq!(base64("gateway:p4ssw0rd!".as_bytes()), "Z2F0ZXdheTpwNHNzdzByZCE=");
    }
}
