//! Reads one request per line as JSON (`{"method", "path", "query", "headers": [[name, value]…],
//! "body", "now"}`) and prints what verify_signature says: `ok <app key>` or the denial message.
//! The Rust side of dataplane/harness/differential.cjs, which asks authz/src/verify/signature.ts
//! the same. Apps: `071fe245-…` (Huawei's sample pair) and `k2`/`s2`.
use apig_auth::config::App;
use apig_auth::signature::verify_signature;
use apig_auth::{Headers, RequestView};
use serde::Deserialize;
use std::borrow::Cow;
use std::io::{self, BufRead, Write};

#[derive(Deserialize)]
struct Line {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
    now: i64,
}

fn main() -> io::Result<()> {
    let apps = [
        App::new("team/client", "071fe245-9cf6-4d75-822d-c29945a1e06a", "c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5", Vec::new()),
        App::new("team/other", "k2", "s2", Vec::new()),
    ];
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in io::stdin().lock().lines() {
        let line: Line = serde_json::from_str(&line?).map_err(io::Error::other)?;
        let headers: Vec<(String, Vec<u8>)> = line.headers.into_iter().map(|(n, v)| (n, v.into_bytes())).collect();
        let request = RequestView {
            method: Cow::Borrowed(&line.method),
            path: Cow::Borrowed(&line.path),
            query: Cow::Borrowed(&line.query),
            headers: Headers::new(&headers),
            body: Some(line.body.as_bytes()),
        };
        let result = match verify_signature(&request, |key| apps.iter().find(|a| a.app_key == key), line.now) {
            Ok(app) => format!("ok {}", app.app_key),
            Err(denial) => denial.message.into_owned(),
        };
        writeln!(out, "{}", result.replace('\n', "\\n"))?;
    }
    Ok(())
}
