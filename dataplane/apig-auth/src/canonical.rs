//! The canonical request of SDK-HMAC-SHA256, exactly as sdk/js/src/canonical.ts builds it, plus
//! the two variants real Huawei SDKs produce (see [`UriEncoding`] and [`ValueOrder`]).

use crate::encoding::{percent_decode, rfc3986_into};
use crate::hex;
use crate::js_text::{cmp_utf16, js_trim};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
pub const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

pub type HmacSha256 = Hmac<Sha256>;

/// How path segments become the canonical URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriEncoding {
    /// canonical.ts: percent-decode each segment, then RFC 3986-encode it.
    Standard,
    /// Huawei's npm SDK (`@huaweicloud/huaweicloud-sdk-core`, AKSKSigner.CanonicalURI): encodes
    /// the already-encoded path again without decoding, so `/a%20b` is signed as `/a%2520b/`.
    EncodedTwice,
}

/// The order of the values of a repeated query name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueOrder {
    /// canonical.ts: sorted.
    Sorted,
    /// Huawei's Java SDK: in the order the URL gives them.
    AsSent,
}

/// canonical.ts `canonicalUri`: each `/`-separated segment encoded, absolute, ending with `/`.
pub fn canonical_uri(raw_path: &str, encoding: UriEncoding) -> String {
    let mut out = String::with_capacity(raw_path.len() + 2);
    if !raw_path.starts_with('/') {
        out.push('/');
    }
    for (i, segment) in raw_path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match encoding {
            UriEncoding::Standard => rfc3986_into(&mut out, percent_decode(segment).as_bytes()),
            UriEncoding::EncodedTwice => rfc3986_into(&mut out, segment.as_bytes()),
        }
    }
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// canonical.ts `parseQuery`: decoded (name, value) pairs in URL order, empty names dropped.
pub fn parse_query(raw_query: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    let mut pairs = Vec::new();
    for pair in raw_query.split('&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name);
        if name.is_empty() {
            continue;
        }
        pairs.push((name, percent_decode(value)));
    }
    pairs
}

/// canonical.ts `canonicalQuery`: names sorted, `name=value` encoded, joined with `&`.
pub fn canonical_query(raw_query: &str, order: ValueOrder) -> String {
    let mut pairs = parse_query(raw_query);
    match order {
        ValueOrder::Sorted => pairs.sort_by(|a, b| cmp_utf16(&a.0, &b.0).then_with(|| cmp_utf16(&a.1, &b.1))),
        // A stable sort by name keeps each name's values in URL order.
        ValueOrder::AsSent => pairs.sort_by(|a, b| cmp_utf16(&a.0, &b.0)),
    }
    let mut out = String::with_capacity(raw_query.len() + 8);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        rfc3986_into(&mut out, name.as_bytes());
        out.push('=');
        rfc3986_into(&mut out, value.as_bytes());
    }
    out
}

/// The six parts of a canonical request; hashed without being joined, joined only to be shown.
#[derive(Clone, Debug)]
pub struct CanonicalRequest {
    pub method: String,
    pub uri: String,
    pub query: String,
    /// `name:value\n` for each signed header, sorted.
    pub headers: String,
    /// The sorted signed header names joined with `;`.
    pub signed_headers: String,
    pub payload_hash: String,
}

impl CanonicalRequest {
    /// canonical.ts `canonicalRequest` with the standard URI and query; `Err(name)` names the
    /// first (sorted) signed header that `header` does not have.
    pub fn build<'h>(
        method: &str,
        path: &str,
        query: &str,
        header: impl Fn(&str) -> Option<Cow<'h, str>>,
        signed_headers: &[impl AsRef<str>],
        payload_hash: &str,
    ) -> Result<Self, String> {
        let mut signed: Vec<&str> = signed_headers.iter().map(AsRef::as_ref).collect();
        signed.sort_by(|a, b| cmp_utf16(a, b));
        let mut headers = String::new();
        for name in &signed {
            let Some(value) = header(name) else {
                return Err((*name).to_owned());
            };
            headers.push_str(name);
            headers.push(':');
            headers.push_str(js_trim(&value));
            headers.push('\n');
        }
        Ok(Self {
            // `toUpperCase()`: Unicode rules, but methods are ASCII tokens in practice.
            method: if method.is_ascii() { method.to_ascii_uppercase() } else { method.to_uppercase() },
            uri: canonical_uri(path, UriEncoding::Standard),
            query: canonical_query(query, ValueOrder::Sorted),
            headers,
            signed_headers: signed.join(";"),
            payload_hash: payload_hash.to_owned(),
        })
    }

    fn parts(&self) -> [&str; 6] {
        [&self.method, &self.uri, &self.query, &self.headers, &self.signed_headers, &self.payload_hash]
    }

    /// The canonical request as text (parts joined with `\n`).
    pub fn text(&self) -> String {
        self.parts().join("\n")
    }

    /// SHA-256 of [`Self::text`], computed without building it.
    pub fn sha256(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        for (i, part) in self.parts().iter().enumerate() {
            if i > 0 {
                hash.update(b"\n");
            }
            hash.update(part.as_bytes());
        }
        hash.finalize().into()
    }
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(&Sha256::digest(data))
}

/// The payload hash of a body: its SHA-256, or the empty body's.
pub fn body_hash(body: Option<&[u8]>) -> String {
    match body {
        Some(bytes) if !bytes.is_empty() => sha256_hex(bytes),
        _ => EMPTY_BODY_SHA256.to_owned(),
    }
}

/// The HMAC-SHA256 of the string to sign (`ALGORITHM\nX-Sdk-Date\nhex(SHA-256(canonical))`),
/// keyed by `mac` (the secret already absorbed).
pub fn sign(mac: &HmacSha256, sdk_date: &str, canonical: &CanonicalRequest) -> HmacSha256 {
    let mut mac = mac.clone();
    let mut digest_hex = String::with_capacity(64);
    hex::encode_into(&mut digest_hex, &canonical.sha256());
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(sdk_date.as_bytes());
    mac.update(b"\n");
    mac.update(digest_hex.as_bytes());
    mac
}

/// The lower-case hex signature of a canonical request.
pub fn signature_hex(mac: &HmacSha256, sdk_date: &str, canonical: &CanonicalRequest) -> String {
    hex::encode(&sign(mac, sdk_date, canonical).finalize().into_bytes())
}

/// A MAC keyed with `secret` (any length, as Node's createHmac accepts).
pub fn keyed(secret: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; new_from_slice never fails for it.
    <HmacSha256 as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}
