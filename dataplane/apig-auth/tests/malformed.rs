//! Hostile input never panics and never passes: thousands of malformed Authorization headers,
//! dates, paths, queries and header bytes through the whole decision.
mod common;

use apig_auth::authorization;
use apig_auth::Decision;
use common::*;

/// A small deterministic generator (xorshift64*): the same inputs on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, alphabet: &[&[u8]], max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).flat_map(|_| alphabet[self.below(alphabet.len())].to_vec()).collect()
    }
}

const PIECES: &[&[u8]] = &[
    b"SDK-HMAC-SHA256",
    b" ",
    b"\t",
    b",",
    b", ",
    b";",
    b"=",
    b"Access=",
    b"SignedHeaders=",
    b"Signature=",
    b"host",
    b"x-sdk-date",
    b"0",
    b"f",
    b"F",
    b"g",
    b"%",
    b"%2",
    b"%zz",
    b"%E4%B8",
    b"%FF",
    b"+",
    b"&",
    b"?",
    b"/",
    b"\xff",
    b"\xc3",
    b"\xe4\xb8\xad",
    b"\xc2\xa0",
    b"\xe3\x80\x80",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\x7f",
    b"\\",
    b"\"",
    KEY.as_bytes(),
];

/// `valid` with 1–3 random edits: a piece inserted, a range deleted, or a byte replaced.
fn mutated(random: &mut Random, valid: &[u8]) -> Vec<u8> {
    let mut out = valid.to_vec();
    for _ in 0..=random.below(3) {
        let at = random.below(out.len() + 1);
        match random.below(3) {
            0 => {
                let piece = PIECES[random.below(PIECES.len())];
                out.splice(at..at, piece.iter().copied());
            }
            1 => {
                let end = (at + random.below(6)).min(out.len());
                out.drain(at..end);
            }
            _ if at < out.len() => out[at] = PIECES[random.below(PIECES.len())].first().copied().unwrap_or(b' '),
            _ => {}
        }
    }
    out
}

#[test]
fn parse_never_panics_and_only_accepts_the_form() {
    let valid = format!("SDK-HMAC-SHA256 Access={KEY}, SignedHeaders=host;x-sdk-date, Signature={}", "0a".repeat(32));
    let mut random = Random(0x5eed_1234_abcd_ef01);
    let mut accepted = 0;
    for i in 0..40_000 {
        let raw = if i % 2 == 0 { random.bytes(PIECES, 12) } else { mutated(&mut random, valid.as_bytes()) };
        let text = String::from_utf8_lossy(&raw);
        if let Some(parsed) = authorization::parse(&text) {
            accepted += 1;
            assert!(apig_auth::js_text::js_trim(&text).starts_with("SDK-HMAC-SHA256"), "{text:?}");
            assert!(!parsed.app_key.is_empty() && !parsed.signature.is_empty(), "{text:?}");
            assert!(parsed.signature.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{text:?}");
            assert!(!parsed.app_key.contains(|c: char| c == ',' || apig_auth::js_text::is_js_space(c)), "{text:?}");
        }
    }
    // Some edits keep the header well-formed (a hex digit for a hex digit): those are accepted.
    assert!(accepted > 100, "only {accepted} accepted");
}

#[test]
fn the_decision_never_panics_and_never_allows_garbage() {
    let config = config();
    let facts = route(&[("signature_key", "team/backend")]);
    let mut random = Random(0x0dd_ba11_cafe_f00d);
    for i in 0..5_000 {
        let target = [b"/".to_vec(), random.bytes(PIECES, 8)].concat();
        let valid = format!("SDK-HMAC-SHA256 Access={KEY}, SignedHeaders=host;x-sdk-date, Signature={}", "0a".repeat(32));
        let authorization = if i % 2 == 0 { random.bytes(PIECES, 14) } else { mutated(&mut random, valid.as_bytes()) };
        let mut request = Request::new("GET", "h", "/")
            .set(":path", &target)
            .header("authorization", authorization)
            .header("x-sdk-date", if i % 2 == 0 { random.bytes(PIECES, 4) } else { DATE.as_bytes().to_vec() })
            .header(std::str::from_utf8(&random.bytes(&[b"a", b"-", b"host", b"x-sdk-date"], 3)).unwrap_or("x"), random.bytes(PIECES, 4));
        if i % 3 == 0 {
            request = request.body(random.bytes(PIECES, 16));
        }
        if i % 5 == 0 {
            request = request.without(":path").without(":method").without(":authority");
        }
        match decide_at(&request, &facts, &config, now()) {
            Decision::Deny(denial) => {
                assert_eq!((denial.status, denial.code), (401, "APIG.0303"), "{request:?}");
                // The body is well-formed JSON whatever the message holds.
                let body = apig_auth::errors::denial_body(&denial, "r");
                assert!(serde_json_check(&body), "{body}");
            }
            Decision::Allow(_) => panic!("allowed {request:?}"),
        }
    }
}

/// The body is a JSON object of three strings.
fn serde_json_check(body: &str) -> bool {
    serde_json::from_str::<std::collections::BTreeMap<String, String>>(body).is_ok_and(|m| m.len() == 3)
}

#[test]
fn truncations_of_a_valid_request_are_all_refused() {
    let config = config();
    let signed = Request::new("POST", "h", "/x?a=1").body("b").sign(KEY, SECRET);
    let auth = signed.get("authorization").unwrap_or_default();
    for end in 0..auth.len() {
        let cut = signed.clone().set("authorization", &auth.as_bytes()[..end]);
        assert!(matches!(decide_at(&cut, &route(&[]), &config, now()), Decision::Deny(_)), "{}", &auth[..end]);
    }
    assert!(matches!(decide_at(&signed, &route(&[]), &config, now()), Decision::Allow(_)));
}
