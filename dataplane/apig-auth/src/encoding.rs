//! Percent-encoding exactly as sdk/js/src/canonical.ts does it, on UTF-8 bytes:
//! `rfc3986` (unreserved `A-Z a-z 0-9 - _ . ~`, upper-case hex) and `percentDecode`.

use crate::hex;
use std::borrow::Cow;

const UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `value` RFC 3986-encoded (canonical.ts `rfc3986`).
pub fn rfc3986_into(out: &mut String, value: &[u8]) {
    for &b in value {
        if is_unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(UPPER[usize::from(b >> 4)]));
            out.push(char::from(UPPER[usize::from(b & 0xf)]));
        }
    }
}

pub fn rfc3986(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    rfc3986_into(&mut out, value.as_bytes());
    out
}

/// The byte an escape `%XY` at `at` stands for.
fn escape_at(bytes: &[u8], at: usize) -> Option<u8> {
    if bytes.get(at) != Some(&b'%') {
        return None;
    }
    let high = hex::digit(*bytes.get(at + 1)?)?;
    let low = hex::digit(*bytes.get(at + 2)?)?;
    Some((high << 4) | low)
}

/// canonical.ts `percentDecode` (`decodeURIComponent` with its fallback): every maximal run of
/// `%XY` escapes is decoded when its bytes are UTF-8 and kept as written when not; a literal `+`
/// and a malformed `%` stay as they are.
pub fn percent_decode(value: &str) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    let Some(first) = bytes.iter().position(|&b| b == b'%') else {
        return Cow::Borrowed(value);
    };
    let mut out = String::with_capacity(value.len());
    out.push_str(&value[..first]);
    let mut run: Vec<u8> = Vec::new();
    let mut i = first;
    let mut plain_start = first;
    while i < bytes.len() {
        if escape_at(bytes, i).is_none() {
            i += 1;
            continue;
        }
        out.push_str(&value[plain_start..i]);
        let run_start = i;
        run.clear();
        while let Some(b) = escape_at(bytes, i) {
            run.push(b);
            i += 3;
        }
        match std::str::from_utf8(&run) {
            Ok(text) => out.push_str(text),
            Err(_) => out.push_str(&value[run_start..i]),
        }
        plain_start = i;
    }
    out.push_str(&value[plain_start..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(rfc3986("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(rfc3986("a b+!'()*/中"), "a%20b%2B%21%27%28%29%2A%2F%E4%B8%AD");
    }

    #[test]
    fn decodes_like_decode_uri_component_with_fallback() {
        assert_eq!(percent_decode("a+b"), "a+b");
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%E4%B8%AD"), "中");
        assert_eq!(percent_decode("%e4%b8%ad"), "中");
        // Malformed escapes stay; valid runs around them are still decoded.
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%41%"), "A%");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        // A run whose bytes are not UTF-8 stays whole, even its ASCII escapes.
        assert_eq!(percent_decode("%FF%41x%41"), "%FF%41xA");
        assert_eq!(percent_decode("%E4%B8"), "%E4%B8");
        assert_eq!(percent_decode("%ED%A0%80"), "%ED%A0%80");
        assert_eq!(percent_decode("%2F"), "/");
    }
}
