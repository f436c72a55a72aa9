//! Parsed route facts by the exact bytes of the route's metadata: a route's regex is compiled once,
//! and a changed route (new RDS) has new bytes, so nothing stale is ever served.

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
    pub fn get(&mut self, serialized: &[u8]) -> Rc<RouteEntry> {
        if let Some(entry) = self.entries.get(serialized) {
            return Rc::clone(entry);
        }
        if self.entries.len() >= MAX_ENTRIES {
            self.entries.clear();
        }
        let entry = Rc::new(route_entry(serialized));
        self.entries.insert(serialized.to_vec(), Rc::clone(&entry));
        entry
    }
}
