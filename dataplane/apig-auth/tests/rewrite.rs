//! The backend path: the patterns and substitutions are what
//! xds-server/src/translate/path-match.ts emits for each frontend/backend pair.
use apig_auth::rewrite::{path_rewrite, rewrite_path, PathRewrite};

fn rewritten(path: &str, replacement: Option<&str>, regex: Option<&str>, substitution: Option<&str>) -> Option<String> {
    rewrite_path(path, &path_rewrite(replacement, regex, substitution)).map(|p| p.into_owned())
}

#[test]
fn rewrites_like_the_routes_the_translator_emits() {
    let cases: [(&str, &str, &str, &str, &str); 6] = [
        // frontend (mode) → backend: pattern, substitution, request, expected
        ("/test/ (Prefix) → /test2/", "^/test/(.*)$", "/test2/\\1", "/test/AA/CC", "/test2/AA/CC"),
        ("/test/AA (Prefix) → /b", "^/test/AA(/.*)?$", "/b\\1", "/test/AA/CC", "/b/CC"),
        ("/test/AA (Prefix) → /b, exactly", "^/test/AA(/.*)?$", "/b\\1", "/test/AA", "/b"),
        ("/users/{id} (Exact) → /api/users/{id}", "^/users/([^/]+)$", "/api/users/\\1", "/users/42", "/api/users/42"),
        ("/files/{path+} (Exact) → /bucket/{path}", "^/files/([^/].*)$", "/bucket/\\1", "/files/a/b%20c", "/bucket/a/b%20c"),
        ("/a\\b/{x} (Exact) → /c\\d/{x}", "^/a\\\\b/([^/]+)$", "/c\\\\d/\\1", "/a\\b/1", "/c\\d/1"),
    ];
    for (what, regex, substitution, request, expected) in cases {
        assert_eq!(rewritten(request, None, Some(regex), Some(substitution)).as_deref(), Some(expected), "{what}");
    }
    // Literal Exact paths become prefix_rewrite of the whole path: backend_path.
    assert_eq!(rewritten("/v1.0/price$(eur)", Some("/price"), None, None).as_deref(), Some("/price"));
    assert_eq!(rewritten("/orders", Some("/api/orders"), None, None).as_deref(), Some("/api/orders"));
    assert_eq!(rewritten("/v1.0/x", None, Some("^/v1\\.0/([^/]+)$"), Some("/\\1")).as_deref(), Some("/x"));
    assert_eq!(rewritten("/v1x0/x", None, Some("^/v1\\.0/([^/]+)$"), Some("/\\1")).as_deref(), Some("/v1x0/x"));
}

#[test]
fn leaves_the_path_alone_without_a_rewrite_or_when_the_pattern_does_not_match() {
    assert_eq!(rewritten("/x", None, None, None).as_deref(), Some("/x"));
    assert_eq!(rewritten("/x", None, Some("^/y$"), Some("/z")).as_deref(), Some("/x"));
    // A regex without a substitution is no rewrite (as rewrite.ts).
    assert_eq!(rewritten("/x", None, Some("^/x$"), None).as_deref(), Some("/x"));
    // backend_path wins over a regex.
    assert_eq!(rewritten("/x", Some("/p"), Some("^/x$"), Some("/z")).as_deref(), Some("/p"));
}

#[test]
fn expands_substitutions_like_re2() {
    // \0 is the whole match, a group that did not take part or does not exist is empty, \\ is \.
    assert_eq!(
        rewritten("/a/b", None, Some("^/(a)(x)?/(b)$"), Some("[\\0|\\1|\\2|\\3|\\9|\\\\|\\q|\\]")).as_deref(),
        Some("[/a/b|a||b||\\|\\q|\\]")
    );
    // Only the first match is replaced; the rest of the path stays.
    assert_eq!(rewritten("/a/a/a", None, Some("a"), Some("b")).as_deref(), Some("/b/a/a"));
    assert_eq!(rewritten("/中/x", None, Some("^/([^/]+)/x$"), Some("/\\1/y")).as_deref(), Some("/中/y"));
}

#[test]
fn refuses_a_pattern_that_does_not_compile() {
    assert!(matches!(path_rewrite(None, Some("(["), Some("/x")), PathRewrite::Invalid));
    assert_eq!(rewritten("/x", None, Some("(["), Some("/x")), None);
}
