//! The `Authorization` header of a signed request, parsed exactly like the regular expression
//! `^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s?SignedHeaders=([^,\s]+),\s?Signature=([0-9a-fA-F]+)\s*$`
//! on the trimmed value (JavaScript `\s` and `trim`). Hand-written: no regex engine per request.

use crate::canonical::ALGORITHM;
use crate::js_text::{is_js_space, js_trim};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedAuthorization {
    pub app_key: String,
    /// Lower-cased and split on `;` (empty names kept, as the Node service did).
    pub signed_headers: Vec<String>,
    /// Lower-cased hex.
    pub signature: String,
}

/// `([^,\s]+)` followed by `,`: the token and what follows the comma.
fn token_then_comma(text: &str) -> Option<(&str, &str)> {
    let end = text.find(|c: char| c == ',' || is_js_space(c)).unwrap_or(text.len());
    if end == 0 {
        return None;
    }
    let rest = text[end..].strip_prefix(',')?;
    Some((&text[..end], rest))
}

/// `\s?`: one optional whitespace character.
fn optional_space(text: &str) -> &str {
    match text.chars().next() {
        Some(c) if is_js_space(c) => &text[c.len_utf8()..],
        _ => text,
    }
}

/// `toLowerCase()`: Unicode rules, with the common all-ASCII case done cheaply.
fn lower_case(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

pub fn parse(value: &str) -> Option<ParsedAuthorization> {
    let rest = js_trim(value).strip_prefix(ALGORITHM)?;
    let after_space = rest.trim_start_matches(is_js_space);
    if after_space.len() == rest.len() {
        return None;
    }
    let (app_key, rest) = token_then_comma(after_space.strip_prefix("Access=")?)?;
    let (signed, rest) = token_then_comma(optional_space(rest).strip_prefix("SignedHeaders=")?)?;
    // After trim() the `\s*$` can only match nothing: the rest must be hex to the end.
    let signature = optional_space(rest).strip_prefix("Signature=")?;
    if signature.is_empty() || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(ParsedAuthorization {
        app_key: app_key.to_owned(),
        signed_headers: lower_case(signed).split(';').map(str::to_owned).collect(),
        signature: signature.to_ascii_lowercase(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_huawei_form() {
        assert_eq!(
            parse("SDK-HMAC-SHA256 Access=k, SignedHeaders=host;x-sdk-date, Signature=ABC1"),
            Some(ParsedAuthorization {
                app_key: "k".into(),
                signed_headers: vec!["host".into(), "x-sdk-date".into()],
                signature: "abc1".into(),
            })
        );
        // No space after the commas, several before Access=, surrounding whitespace.
        let compact =
            parse(" SDK-HMAC-SHA256 \t Access=k,SignedHeaders=Host;;X-Sdk-Date,Signature=0f ").unwrap_or_else(|| panic!("parses"));
        assert_eq!(compact.signed_headers, ["host", "", "x-sdk-date"]);
        assert_eq!(compact.signature, "0f");
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "Basic abc",
            "SDK-HMAC-SHA256Access=k, SignedHeaders=h, Signature=ab",
            "SDK-HMAC-SHA256 Access=, SignedHeaders=h, Signature=ab",
            "SDK-HMAC-SHA256 Access=k , SignedHeaders=h, Signature=ab",
            "SDK-HMAC-SHA256 Access=k,  SignedHeaders=h, Signature=ab",
            "SDK-HMAC-SHA256 Access=k, SignedHeaders=h, Signature=",
            "SDK-HMAC-SHA256 Access=k, SignedHeaders=h, Signature=xyz",
            "SDK-HMAC-SHA256 Access=k, SignedHeaders=h, Signature=ab cd",
            "SDK-HMAC-SHA256 Access=k, SignedHeaders=h,Signature=ab,",
            "sdk-hmac-sha256 Access=k, SignedHeaders=h, Signature=ab",
            "SDK-HMAC-SHA256 access=k, SignedHeaders=h, Signature=ab",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn uses_javascript_whitespace() {
        assert!(parse("SDK-HMAC-SHA256\u{a0}Access=k,\u{3000}SignedHeaders=h, Signature=ab\u{feff}").is_some());
        assert!(parse("SDK-HMAC-SHA256\u{85}Access=k, SignedHeaders=h, Signature=ab").is_none());
    }
}
