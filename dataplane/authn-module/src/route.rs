//! A route's facts, read from its metadata under the filter's name (dataplane/README.md) and
//! kept by route name. The control plane ends the name of every route that runs the filter with
//! `#` and a digest of its facts (xds-server/src/translate/authn.ts): a route whose facts change
//! gets a new name, so a kept entry is never stale. A name without `#` is never kept.

use crate::host::Host;
use apig_auth::route::FACT_KEYS;
use apig_auth::RouteFacts;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Enough for every route of a large gateway; past it the cache starts over.
const MAX_ENTRIES: usize = 4096;

#[derive(Debug)]
pub enum RouteEntry {
    /// The route has no facts for this filter: leave the request alone.
    Skip,
    Facts(Box<RouteFacts>),
    /// A route named as running the filter whose facts cannot be read: a control-plane bug that
    /// must not let calls through unverified.
    Invalid,
}

fn read(host: &impl Host, digested: bool) -> RouteEntry {
    let pairs: Vec<(&str, String)> = FACT_KEYS.iter().filter_map(|key| host.route_fact(key).map(|value| (*key, value))).collect();
    let facts = RouteFacts::from_pairs(pairs);
    match (facts.applies(), digested) {
        (true, _) => RouteEntry::Facts(Box::new(facts)),
        (false, true) => RouteEntry::Invalid,
        (false, false) => RouteEntry::Skip,
    }
}

thread_local! {
    // One per worker thread: Envoy runs a request's callbacks on one thread.
    static ROUTES: RefCell<HashMap<Vec<u8>, Rc<RouteEntry>>> = RefCell::new(HashMap::new());
}

/// The facts of the request's route (None: the request matched no route).
pub fn route_entry(host: &impl Host) -> Option<Rc<RouteEntry>> {
    let name = host.route_name()?;
    if !name.contains(&b'#') {
        return Some(Rc::new(read(host, false)));
    }
    ROUTES.with(|routes| {
        if let Some(entry) = routes.borrow().get(&name) {
            return Some(Rc::clone(entry));
        }
        let entry = Rc::new(read(host, true));
        let mut routes = routes.borrow_mut();
        if routes.len() >= MAX_ENTRIES {
            routes.clear();
        }
        routes.insert(name, Rc::clone(&entry));
        Some(entry)
    })
}
