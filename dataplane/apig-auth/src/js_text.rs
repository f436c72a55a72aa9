//! JavaScript string semantics the Node implementation relied on: `String.prototype.trim` and
//! `\s` (ECMAScript WhiteSpace + LineTerminator, which is not Rust's `char::is_whitespace`), and
//! `<` on strings (UTF-16 code-unit order, which is not Rust's code-point order).

use std::cmp::Ordering;

/// ECMAScript WhiteSpace and LineTerminator code points (what `\s` and `trim()` match).
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{a}' | '\u{b}' | '\u{c}' | '\u{d}' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// `value.trim()`.
pub fn js_trim(value: &str) -> &str {
    value.trim_matches(is_js_space)
}

/// `a < b ? -1 : a > b ? 1 : 0` on JavaScript strings: UTF-16 code-unit order.
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    // UTF-8 byte order equals code-point order; it differs from UTF-16 order only when a
    // supplementary character meets one in U+E000..U+FFFF, so bytes decide the common case.
    if a.bytes().chain(b.bytes()).all(|byte| byte < 0xEE) {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_what_javascript_trims() {
        assert_eq!(js_trim("\u{feff}\u{a0} a b\t\u{3000}"), "a b");
        // U+0085 is Rust whitespace but not JavaScript whitespace.
        assert_eq!(js_trim("\u{85}a"), "\u{85}a");
    }

    #[test]
    fn orders_by_utf16_code_units() {
        assert_eq!(cmp_utf16("a", "b"), Ordering::Less);
        assert_eq!(cmp_utf16("B", "a"), Ordering::Less);
        assert_eq!(cmp_utf16("a", "a"), Ordering::Equal);
        // U+1F600 is 0xD83D 0xDE00 in UTF-16, so it sorts before U+FF21.
        assert_eq!(cmp_utf16("\u{1f600}", "\u{ff21}"), Ordering::Less);
        assert_eq!("\u{1f600}".cmp("\u{ff21}"), Ordering::Greater);
    }
}
