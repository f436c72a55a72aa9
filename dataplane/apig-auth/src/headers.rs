//! The request's headers as Envoy hands them to a filter: lower-case names (HTTP tokens) and raw
//! value bytes, in order, repeated names repeated. Values are read as UTF-8 with invalid bytes
//! replaced (U+FFFD), which is how the Node service saw them (protobuf strings).

use std::borrow::Cow;

#[derive(Clone, Copy)]
pub struct Headers<'a> {
    pairs: &'a [(String, Vec<u8>)],
}

impl<'a> Headers<'a> {
    pub fn new(pairs: &'a [(String, Vec<u8>)]) -> Self {
        Self { pairs }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    /// The value of `name` (lower case); repeated headers are joined with `,`.
    pub fn get(&self, name: &str) -> Option<Cow<'a, str>> {
        let mut values = self.pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_slice());
        let first = values.next()?;
        let Some(second) = values.next() else {
            return Some(String::from_utf8_lossy(first));
        };
        let mut joined = String::from_utf8_lossy(first).into_owned();
        for value in std::iter::once(second).chain(values) {
            joined.push(',');
            joined.push_str(&String::from_utf8_lossy(value));
        }
        Some(Cow::Owned(joined))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>)> {
        list.iter().map(|(n, v)| ((*n).to_owned(), v.to_vec())).collect()
    }

    #[test]
    fn joins_repeated_values_and_replaces_invalid_utf8() {
        let list = pairs(&[("a", b"1"), ("b", b"x\xffy"), ("a", b"2"), ("a", b"3")]);
        let headers = Headers::new(&list);
        assert_eq!(headers.get("a").as_deref(), Some("1,2,3"));
        assert_eq!(headers.get("b").as_deref(), Some("x\u{fffd}y"));
        assert_eq!(headers.get("c"), None);
        assert!(headers.contains("b"));
    }
}
