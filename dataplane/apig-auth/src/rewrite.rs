//! The path the backend receives, computed the way Envoy's route rewrites it after this filter has
//! run (xds-server/src/translate/path-match.ts emits it): a literal replacement (prefix_rewrite of an exact path) or
//! the route's RE2 regex_rewrite (the translator's patterns mean the same in RE2 and regex-lite).

use regex_lite::{Captures, Regex};
use std::borrow::Cow;

pub enum PathRewrite {
    None,
    Replace(String),
    Regex {
        pattern: Regex,
        substitution: String,
    },
    /// The route's pattern does not compile: the Node service failed the request (500 APIG.0601).
    Invalid,
}

impl std::fmt::Debug for PathRewrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            Self::Replace(path) => write!(f, "Replace({path:?})"),
            Self::Regex { pattern, substitution } => write!(f, "Regex({:?} -> {substitution:?})", pattern.as_str()),
            Self::Invalid => f.write_str("Invalid"),
        }
    }
}

/// The rewrite named by the route's facts; compiled once per route, not per request.
pub fn path_rewrite(replacement: Option<&str>, regex: Option<&str>, substitution: Option<&str>) -> PathRewrite {
    if let Some(path) = replacement {
        return PathRewrite::Replace(path.to_owned());
    }
    match (regex, substitution) {
        (Some(regex), Some(substitution)) => match Regex::new(regex) {
            Ok(pattern) => PathRewrite::Regex { pattern, substitution: substitution.to_owned() },
            Err(_) => PathRewrite::Invalid,
        },
        _ => PathRewrite::None,
    }
}

/// Expands an RE2 substitution: `\N` is capture group N, `\\` a backslash, anything else literal.
fn expand(substitution: &str, groups: &Captures<'_>, out: &mut String) {
    let mut chars = substitution.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\\', Some(d)) if d.is_ascii_digit() => {
                let group = d.to_digit(10).and_then(|n| groups.get(n as usize));
                out.push_str(group.map_or("", |m| m.as_str()));
                chars.next();
            }
            ('\\', Some('\\')) => {
                out.push('\\');
                chars.next();
            }
            (c, _) => out.push(c),
        }
    }
}

/// The rewritten path (no query string); an unmatched regex leaves it as it is, as Envoy does.
/// None for [`PathRewrite::Invalid`].
pub fn rewrite_path<'p>(path: &'p str, rewrite: &PathRewrite) -> Option<Cow<'p, str>> {
    match rewrite {
        PathRewrite::None => Some(Cow::Borrowed(path)),
        PathRewrite::Replace(replacement) => Some(Cow::Owned(replacement.clone())),
        PathRewrite::Invalid => None,
        PathRewrite::Regex { pattern, substitution } => {
            let Some(groups) = pattern.captures(path) else {
                return Some(Cow::Borrowed(path));
            };
            let whole = groups.get(0)?;
            let mut out = String::with_capacity(path.len() + substitution.len());
            out.push_str(&path[..whole.start()]);
            expand(substitution, &groups, &mut out);
            out.push_str(&path[whole.end()..]);
            Some(Cow::Owned(out))
        }
    }
}
