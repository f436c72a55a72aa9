//! JSON string literals exactly as `JSON.stringify` writes them: `"` and `\` escaped, `\b \f \n
//! \r \t` short, other control characters `\u00xx` (lower-case hex), everything else (non-ASCII,
//! `/`, DEL) as it is.

pub fn push_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u00");
                crate::hex::encode_into(out, &[c as u8]);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(value: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, value);
        out
    }

    #[test]
    fn escapes_like_json_stringify() {
        assert_eq!(quoted("a\"b\\c/d"), r#""a\"b\\c/d""#);
        assert_eq!(quoted("\u{8}\u{c}\n\r\t"), r#""\b\f\n\r\t""#);
        assert_eq!(quoted("\u{0}\u{1f}\u{7f}"), "\"\\u0000\\u001f\u{7f}\"");
        assert_eq!(quoted("中\u{2028}\u{fffd}"), "\"中\u{2028}\u{fffd}\"");
    }
}
