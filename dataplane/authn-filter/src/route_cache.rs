//! Parsed route facts by route name. The control plane ends the name of every route that runs the
//! filter with `#` and a digest of its facts (xds-server/src/translate/authn.ts): a route whose
//! facts change gets a new name, so a cached entry is never stale, and Envoy hands out a route's
//! name for less than its metadata. A name without `#` is never cached: its metadata is read
//! and parsed on every request.

use crate::metadata::{route_entry, RouteEntry};
use std::collections::HashMap;
use std::rc::Rc;

/// Enough for every route of a large gateway; past it the cache starts over.
const MAX_ENTRIES: usize = 4096;

#[derive(Default)]
pub struct RouteCache {
    entries: HashMap<Vec<u8>, Rc<RouteEntry>>,
}

impl RouteCache {
    /// The facts of the route named `name`; `metadata` reads its serialized metadata (None: the
    /// route has none, and the filter leaves the request alone).
    pub fn get(&mut self, name: &[u8], metadata: impl FnOnce() -> Option<Vec<u8>>) -> Option<Rc<RouteEntry>> {
        let digested = name.contains(&b'#');
        if digested {
            if let Some(entry) = self.entries.get(name) {
                return Some(Rc::clone(entry));
            }
        }
        let entry = Rc::new(route_entry(&metadata()?));
        if digested {
            if self.entries.len() >= MAX_ENTRIES {
                self.entries.clear();
            }
            self.entries.insert(name.to_vec(), Rc::clone(&entry));
        }
        Some(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn reads_the_metadata_once_per_digested_name_and_always_without_one() {
        let mut cache = RouteCache::default();
        let reads = Cell::new(0);
        let read = || {
            reads.set(reads.get() + 1);
            Some(Vec::new())
        };
        for _ in 0..3 {
            assert!(matches!(cache.get(b"ns/api/RELEASE#0123456789ab", read).as_deref(), Some(RouteEntry::Skip)));
        }
        assert_eq!(reads.get(), 1);
        for _ in 0..2 {
            assert!(cache.get(b"ns/api/RELEASE", read).is_some());
        }
        assert_eq!(reads.get(), 3);
        assert!(cache.get(b"ns/other/RELEASE#ba9876543210", || None).is_none());
    }
}
