//! The route's facts from the `xds.route_metadata` property: a serialized
//! envoy.config.core.v3.Metadata whose `filter_metadata["turnpike.authn"]` Struct holds string
//! values (dataplane/README.md). The message is declared by hand (field 1 only; typed_filter_metadata
//! is skipped as an unknown field) so no protoc is needed.

use apig_auth::RouteFacts;
use prost::Message;
use prost_types::value::Kind;
use std::collections::BTreeMap;

/// The filter_metadata key the control plane writes the facts under.
pub const FILTER_METADATA_KEY: &str = "turnpike.authn";

#[derive(Clone, PartialEq, Message)]
pub struct Metadata {
    #[prost(btree_map = "string, message", tag = "1")]
    pub filter_metadata: BTreeMap<String, prost_types::Struct>,
}

/// What a route's metadata says about this filter.
#[derive(Debug)]
pub enum RouteEntry {
    /// The route has no facts for this filter, or no `auth`: leave the request alone.
    Skip,
    Facts(Box<RouteFacts>),
    /// The metadata cannot be read (not protobuf, or a value that is not a string): a control
    /// plane bug that must not let calls through unverified.
    Invalid,
}

pub fn route_entry(serialized: &[u8]) -> RouteEntry {
    let Ok(metadata) = Metadata::decode(serialized) else {
        return RouteEntry::Invalid;
    };
    let Some(facts) = metadata.filter_metadata.get(FILTER_METADATA_KEY) else {
        return RouteEntry::Skip;
    };
    let mut pairs = Vec::with_capacity(facts.fields.len());
    for (key, value) in &facts.fields {
        match &value.kind {
            Some(Kind::StringValue(text)) => pairs.push((key.as_str(), text.as_str())),
            _ => return RouteEntry::Invalid,
        }
    }
    let facts = RouteFacts::from_pairs(pairs);
    if facts.applies() {
        RouteEntry::Facts(Box::new(facts))
    } else {
        RouteEntry::Skip
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost_types::{Struct, Value};

    fn encoded(entries: &[(&str, Value)]) -> Vec<u8> {
        let fields = entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        let mut filter_metadata = BTreeMap::new();
        filter_metadata.insert(FILTER_METADATA_KEY.to_owned(), Struct { fields });
        filter_metadata.insert("other".to_owned(), Struct::default());
        Metadata { filter_metadata }.encode_to_vec()
    }

    fn text(value: &str) -> Value {
        Value { kind: Some(Kind::StringValue(value.to_owned())) }
    }

    #[test]
    fn reads_string_facts() {
        let bytes = encoded(&[("auth", text("APP")), ("api", text("ns/a")), ("tls", text("true")), ("backend_path", text("/b"))]);
        let RouteEntry::Facts(facts) = route_entry(&bytes) else { panic!("facts expected") };
        assert_eq!(facts.auth.as_deref(), Some("APP"));
        assert_eq!(facts.api.as_deref(), Some("ns/a"));
        assert!(facts.tls && !facts.app_code);
    }

    #[test]
    fn skips_routes_without_facts_and_refuses_garbage() {
        assert!(matches!(route_entry(&[]), RouteEntry::Skip));
        assert!(matches!(route_entry(&encoded(&[("api", text("ns/a"))])), RouteEntry::Skip));
        assert!(matches!(route_entry(&[0xff, 0xff, 0xff]), RouteEntry::Invalid));
        let number = Value { kind: Some(Kind::NumberValue(1.0)) };
        assert!(matches!(route_entry(&encoded(&[("auth", text("APP")), ("tls", number)])), RouteEntry::Invalid));
    }
}
