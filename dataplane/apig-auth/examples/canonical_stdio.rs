//! Reads `uri<TAB>raw path` and `query<TAB>raw query` lines (escapes `\t`, `\n`, `\\` in the
//! text) and prints the canonical URI or query of each, one per line: the Rust side of
//! dataplane/harness/differential.cjs, which compares them with sdk/js/src/canonical.ts.
use apig_auth::canonical::{canonical_query, canonical_uri, UriEncoding, ValueOrder};
use std::io::{self, BufRead, Write};

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn main() -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in io::stdin().lock().lines() {
        let line = line?;
        let (kind, raw) = line.split_once('\t').unwrap_or((line.as_str(), ""));
        let raw = unescape(raw);
        let result = match kind {
            "uri" => canonical_uri(&raw, UriEncoding::Standard),
            "query" => canonical_query(&raw, ValueOrder::Sorted),
            _ => String::from("?"),
        };
        writeln!(out, "{result}")?;
    }
    Ok(())
}
