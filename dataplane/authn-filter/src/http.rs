//! One request: find the route's facts, read the headers (one host call, bytes: nothing a caller
//! sends can make this panic), buffer the body when there is one, decide, apply.

use crate::metadata::RouteEntry;
use crate::metrics::Metrics;
use crate::route_cache::RouteCache;
use crate::stats::{app_labels, calls_name, denied_name, latency_name};
use apig_auth::errors::{denial_body, ENTITY_TOO_LARGE, INTERNAL_ERROR};
use apig_auth::{decide, Config, Decision, Denial, Headers, RequestView, RouteFacts, APP_ID_HEADER};
use log::debug;
use proxy_wasm::traits::{Context, HttpContext};
use proxy_wasm::types::Action;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::UNIX_EPOCH;

/// Set on the request before a denial: the control plane's local-reply mapper passes such replies
/// through unchanged.
const REPLY_HEADER: &str = "x-turnpike-reply";
const REPLY_MARKER: &str = "authn";

/// A request waiting for its body.
struct Pending {
    config: Rc<Config>,
    route: Rc<RouteEntry>,
    headers: Vec<(String, Vec<u8>)>,
    /// Body bytes buffered so far.
    buffered: usize,
}

/// An authenticated call, counted when its answer comes back.
struct Authenticated {
    /// `;app=…;api=…;env=…` (stats.rs).
    labels: String,
    /// When the filter decided (with a body: once all of it had arrived).
    decided_ms: i64,
}

/// The Api and environment labels of a route's calls (empty if the facts lack them).
fn api_and_environment(facts: &RouteFacts) -> (&str, &str) {
    (facts.api.as_deref().unwrap_or_default(), facts.environment.as_deref().unwrap_or_default())
}

pub struct AuthnHttp {
    config: Option<Rc<Config>>,
    routes: Rc<RefCell<RouteCache>>,
    metrics: Rc<RefCell<Metrics>>,
    pending: Option<Pending>,
    authenticated: Option<Authenticated>,
}

impl AuthnHttp {
    pub fn new(config: Option<Rc<Config>>, routes: Rc<RefCell<RouteCache>>, metrics: Rc<RefCell<Metrics>>) -> Self {
        Self { config, routes, metrics, pending: None, authenticated: None }
    }

    fn route(&self) -> Option<Rc<RouteEntry>> {
        let name = self.get_property(vec!["xds", "route_name"]).unwrap_or_default();
        self.routes.borrow_mut().get(&name, || self.get_property(vec!["xds", "route_metadata"]))
    }

    fn now_ms(&self) -> i64 {
        let since = self.get_current_time().duration_since(UNIX_EPOCH).unwrap_or_default();
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    }

    fn request_id(headers: Option<&[(String, Vec<u8>)]>, fetched: impl FnOnce() -> Option<Vec<u8>>) -> String {
        let bytes = match headers {
            Some(list) => list.iter().find(|(n, _)| n == "x-request-id").map(|(_, v)| v.clone()),
            None => fetched(),
        };
        bytes.map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default()
    }

    fn deny(&self, denial: &Denial, headers: Option<&[(String, Vec<u8>)]>) -> Action {
        debug!("turnpike.authn: denied {} {}", denial.status, denial.code);
        let request_id = Self::request_id(headers, || self.get_http_request_header_bytes("x-request-id"));
        self.set_http_request_header(REPLY_HEADER, Some(REPLY_MARKER));
        let body = denial_body(denial, &request_id);
        self.send_http_response(u32::from(denial.status), vec![("content-type", "application/json")], Some(body.as_bytes()));
        Action::Pause
    }

    /// A refusal on a route with facts, counted by Api, environment and code.
    fn refuse(&self, facts: &RouteFacts, denial: &Denial, headers: Option<&[(String, Vec<u8>)]>) -> Action {
        let (api, environment) = api_and_environment(facts);
        self.metrics.borrow_mut().increment(denied_name(api, environment, denial.code));
        self.deny(denial, headers)
    }

    fn decide_and_apply(&mut self, config: &Config, route: &RouteEntry, headers: &[(String, Vec<u8>)], body: Option<&[u8]>) -> Action {
        let facts = match route {
            RouteEntry::Facts(facts) => facts,
            RouteEntry::Skip => return Action::Continue,
            RouteEntry::Invalid => return self.deny(&INTERNAL_ERROR, Some(headers)),
        };
        let request = RequestView::new(Headers::new(headers), body);
        let now_ms = self.now_ms();
        match decide(&request, facts, config, now_ms) {
            Decision::Deny(denial) => self.refuse(facts, &denial, Some(headers)),
            Decision::Allow(changes) => {
                for name in changes.remove {
                    self.set_http_request_header(name, None);
                }
                for (name, value) in &changes.set {
                    self.set_http_request_header(name, Some(value));
                }
                if let Some((_, app)) = changes.set.iter().find(|(name, _)| *name == APP_ID_HEADER) {
                    let (api, environment) = api_and_environment(facts);
                    self.authenticated = Some(Authenticated { labels: app_labels(app, api, environment), decided_ms: now_ms });
                }
                Action::Continue
            }
        }
    }

    fn finish(&mut self) -> Action {
        let Some(pending) = self.pending.take() else {
            return Action::Continue;
        };
        let body = self.get_http_request_body(0, pending.buffered).unwrap_or_default();
        self.decide_and_apply(&pending.config, &pending.route, &pending.headers, Some(&body))
    }
}

impl Context for AuthnHttp {}

impl HttpContext for AuthnHttp {
    fn on_http_request_headers(&mut self, _num_headers: usize, end_of_stream: bool) -> Action {
        let Some(route) = self.route() else {
            return Action::Continue;
        };
        match route.as_ref() {
            RouteEntry::Skip => return Action::Continue,
            RouteEntry::Invalid => return self.deny(&INTERNAL_ERROR, None),
            RouteEntry::Facts(_) => {}
        }
        let Some(config) = self.config.clone() else {
            return self.deny(&INTERNAL_ERROR, None);
        };
        let headers = self.get_http_request_headers_bytes();
        if end_of_stream {
            return self.decide_and_apply(&config, &route, &headers, None);
        }
        // The signature covers the body: wait for all of it (allow_on_headers_stop_iteration).
        self.pending = Some(Pending { config, route, headers, buffered: 0 });
        Action::Pause
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        let Some(pending) = self.pending.as_mut() else {
            return Action::Continue;
        };
        pending.buffered = body_size;
        if body_size > pending.config.max_body_bytes {
            let Some(pending) = self.pending.take() else {
                return Action::Continue;
            };
            return match pending.route.as_ref() {
                RouteEntry::Facts(facts) => self.refuse(facts, &ENTITY_TOO_LARGE, Some(&pending.headers)),
                _ => self.deny(&ENTITY_TOO_LARGE, Some(&pending.headers)),
            };
        }
        if !end_of_stream {
            return Action::Pause;
        }
        self.finish()
    }

    fn on_http_request_trailers(&mut self, _num_trailers: usize) -> Action {
        self.finish()
    }

    /// An authenticated call's answer: counted under its App, with the time since the decision.
    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let Some(call) = self.authenticated.take() else {
            return Action::Continue;
        };
        let status = self.get_http_response_header_bytes(":status").unwrap_or_default();
        let elapsed = u64::try_from(self.now_ms() - call.decided_ms).unwrap_or(0);
        let mut metrics = self.metrics.borrow_mut();
        metrics.increment(calls_name(&call.labels, &status));
        metrics.record(latency_name(&call.labels), elapsed);
        Action::Continue
    }
}
