//! One request: find the route's facts, read the headers, wait for the body when there is one,
//! decide (`apig_auth::decide`, pure), apply. Envoy's side is behind the `Host` trait.

use crate::host::{Header, Host, Metric};
use crate::route::{route_entry, RouteEntry};
use crate::stats::{admit, status_label};
use apig_auth::errors::{denial_body, ENTITY_TOO_LARGE, INTERNAL_ERROR};
use apig_auth::{decide, Config, Decision, Denial, Headers, RequestView, RouteFacts, APP_ID_HEADER};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Arc;

/// Set on the request before a refusal: the control plane's local-reply mapper passes such
/// replies through unchanged.
const REPLY_HEADER: &str = "x-turnpike-reply";
const REPLY_MARKER: &[u8] = b"authn";

/// What Envoy should do with the request after a callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Hold the request and buffer its body: the signature covers it.
    Buffer,
    /// The filter answered the request itself.
    Answered,
}

/// An authenticated call, counted when its answer comes back.
struct Authenticated {
    app: String,
    api: String,
    environment: String,
    /// When the filter decided (with a body: once all of it had arrived).
    decided_ms: i64,
}

/// The Api and environment labels of a route's calls (empty if the facts lack them).
fn api_and_environment(facts: &RouteFacts) -> (&str, &str) {
    (facts.api.as_deref().unwrap_or_default(), facts.environment.as_deref().unwrap_or_default())
}

/// Runs one callback of the filter. A panic inside it must not unwind into Envoy (that aborts
/// Envoy): it answers the request 500 APIG.0601, never lets it through, and `failed` reports it.
pub fn guarded<H: Host>(
    filter: &mut AuthnFilter,
    host: &mut H,
    hook: impl FnOnce(&mut AuthnFilter, &mut H) -> Flow,
    failed: impl FnOnce(),
) -> Flow {
    match catch_unwind(AssertUnwindSafe(|| hook(filter, host))) {
        Ok(flow) => flow,
        Err(_) => {
            failed();
            let _ = catch_unwind(AssertUnwindSafe(|| deny(host, &INTERNAL_ERROR, None)));
            Flow::Answered
        }
    }
}

fn deny(host: &mut impl Host, denial: &Denial, headers: Option<&[Header]>) -> Flow {
    let request_id = match headers {
        Some(list) => list.iter().find(|(n, _)| n == "x-request-id").map(|(_, v)| v.clone()),
        None => host.request_header("x-request-id"),
    };
    let request_id = request_id.map(|v| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default();
    host.set_request_header(REPLY_HEADER, REPLY_MARKER);
    let body = denial_body(denial, &request_id);
    host.send_response(denial.status, &[("content-type", "application/json")], body.as_bytes());
    Flow::Answered
}

/// A refusal on a route with facts, counted by Api, environment and code.
fn refuse(host: &mut impl Host, facts: &RouteFacts, denial: &Denial, headers: Option<&[Header]>) -> Flow {
    let (api, environment) = api_and_environment(facts);
    let labels = [api, environment, denial.code];
    if admit(Metric::Denied, &labels) {
        host.increment(Metric::Denied, &labels);
    }
    deny(host, denial, headers)
}

pub struct AuthnFilter {
    config: Arc<Config>,
    /// The route of a request whose body is awaited.
    pending: Option<Rc<RouteEntry>>,
    authenticated: Option<Authenticated>,
}

impl AuthnFilter {
    pub fn new(config: Arc<Config>) -> Self {
        Self { config, pending: None, authenticated: None }
    }

    pub fn on_request_headers(&mut self, host: &mut impl Host, end_of_stream: bool) -> Flow {
        let Some(route) = route_entry(host) else {
            return Flow::Continue;
        };
        match route.as_ref() {
            RouteEntry::Skip => Flow::Continue,
            RouteEntry::Invalid => deny(host, &INTERNAL_ERROR, None),
            RouteEntry::Facts(facts) if end_of_stream => self.decide_and_apply(host, facts, None),
            RouteEntry::Facts(_) => {
                self.pending = Some(route);
                Flow::Buffer
            }
        }
    }

    pub fn on_request_body(&mut self, host: &mut impl Host, body_len: usize, end_of_stream: bool) -> Flow {
        if self.pending.is_none() {
            return Flow::Continue;
        }
        if body_len > self.config.max_body_bytes {
            return match self.pending.take().as_deref() {
                Some(RouteEntry::Facts(facts)) => refuse(host, facts, &ENTITY_TOO_LARGE, None),
                _ => deny(host, &ENTITY_TOO_LARGE, None),
            };
        }
        if !end_of_stream {
            return Flow::Buffer;
        }
        self.finish(host)
    }

    pub fn on_request_trailers(&mut self, host: &mut impl Host) -> Flow {
        self.finish(host)
    }

    /// An authenticated call's answer: counted under its App, with the time since the decision.
    pub fn on_response_headers(&mut self, host: &mut impl Host) {
        let Some(call) = self.authenticated.take() else {
            return;
        };
        let status = status_label(&host.response_header(":status").unwrap_or_default());
        let elapsed = u64::try_from(host.now_ms() - call.decided_ms).unwrap_or(0);
        let calls = [call.app.as_str(), &call.api, &call.environment, &status];
        if admit(Metric::Calls, &calls) {
            host.increment(Metric::Calls, &calls);
        }
        let latency = [call.app.as_str(), &call.api, &call.environment];
        if admit(Metric::Latency, &latency) {
            host.record(Metric::Latency, &latency, elapsed);
        }
    }

    fn finish(&mut self, host: &mut impl Host) -> Flow {
        let Some(route) = self.pending.take() else {
            return Flow::Continue;
        };
        let RouteEntry::Facts(facts) = route.as_ref() else {
            return Flow::Continue;
        };
        let body = host.request_body();
        self.decide_and_apply(host, facts, Some(&body))
    }

    fn decide_and_apply(&mut self, host: &mut impl Host, facts: &RouteFacts, body: Option<&[u8]>) -> Flow {
        let headers = host.request_headers();
        let request = RequestView::new(Headers::new(&headers), body);
        let now_ms = host.now_ms();
        match decide(&request, facts, &self.config, now_ms) {
            Decision::Deny(denial) => refuse(host, facts, &denial, Some(&headers)),
            Decision::Allow(changes) => {
                for name in changes.remove {
                    host.remove_request_header(name);
                }
                for (name, value) in &changes.set {
                    host.set_request_header(name, value.as_bytes());
                }
                if let Some((_, app)) = changes.set.iter().find(|(name, _)| *name == APP_ID_HEADER) {
                    let (api, environment) = api_and_environment(facts);
                    self.authenticated = Some(Authenticated {
                        app: app.clone(),
                        api: api.to_owned(),
                        environment: environment.to_owned(),
                        decided_ms: now_ms,
                    });
                }
                Flow::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const CODE: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/==";

    fn config() -> Arc<Config> {
        let json = format!(
            r#"{{"max_body_bytes": 8, "apps": [{{"id": "team/client", "app_key": "k", "app_secret": "s", "app_codes": ["{CODE}"],
                "grants": [{{"kind": "API", "target": "team/orders", "environments": ["RELEASE"]}}]}}]}}"#
        );
        Arc::new(Config::from_json(json.as_bytes()).expect("config"))
    }

    #[derive(Default)]
    struct FakeHost {
        route: Option<&'static str>,
        facts: HashMap<&'static str, &'static str>,
        headers: Vec<Header>,
        body: Vec<u8>,
        status: Option<&'static str>,
        answer: Option<(u16, String)>,
        counted: Vec<(Metric, Vec<String>)>,
    }

    impl FakeHost {
        fn app_code_call(route: &'static str) -> Self {
            let facts = HashMap::from([("api", "team/orders"), ("environment", "RELEASE"), ("auth", "APP"), ("app_code", "true")]);
            let headers = [
                (":method", "POST"),
                (":path", "/orders"),
                (":authority", "api.example.com"),
                (":scheme", "https"),
                ("x-request-id", "r-1"),
                ("x-apig-appcode", CODE),
            ];
            let headers = headers.iter().map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec())).collect();
            Self { route: Some(route), facts, headers, ..Self::default() }
        }

        fn header(&self, name: &str) -> Option<String> {
            self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        }
    }

    impl Host for FakeHost {
        fn route_name(&self) -> Option<Vec<u8>> {
            self.route.map(|r| r.as_bytes().to_vec())
        }
        fn route_fact(&self, key: &str) -> Option<String> {
            self.facts.get(key).map(|v| (*v).to_owned())
        }
        fn request_headers(&self) -> Vec<Header> {
            self.headers.clone()
        }
        fn request_header(&self, name: &str) -> Option<Vec<u8>> {
            self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
        }
        fn set_request_header(&mut self, name: &str, value: &[u8]) {
            self.remove_request_header(name);
            self.headers.push((name.to_owned(), value.to_vec()));
        }
        fn remove_request_header(&mut self, name: &str) {
            self.headers.retain(|(n, _)| n != name);
        }
        fn request_body(&self) -> Vec<u8> {
            self.body.clone()
        }
        fn response_header(&self, name: &str) -> Option<Vec<u8>> {
            (name == ":status").then_some(()).and(self.status).map(|s| s.as_bytes().to_vec())
        }
        fn send_response(&mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
            assert_eq!(headers, [("content-type", "application/json")]);
            self.answer = Some((status, String::from_utf8_lossy(body).into_owned()));
        }
        fn now_ms(&self) -> i64 {
            1_700_000_000_000
        }
        fn increment(&mut self, metric: Metric, labels: &[&str]) {
            self.counted.push((metric, labels.iter().map(|l| (*l).to_owned()).collect()));
        }
        fn record(&mut self, metric: Metric, labels: &[&str], _value: u64) {
            self.increment(metric, labels);
        }
    }

    fn labels(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn an_authenticated_call_goes_on_without_its_credential_and_is_counted_with_its_answer() {
        let mut host = FakeHost::app_code_call("team/orders/RELEASE#0123456789ab");
        let mut filter = AuthnFilter::new(config());
        assert_eq!(filter.on_request_headers(&mut host, true), Flow::Continue);
        assert_eq!(host.header("x-apig-appcode"), None);
        assert_eq!(host.header(APP_ID_HEADER).as_deref(), Some("team/client"));
        assert!(host.answer.is_none());
        host.status = Some("201");
        filter.on_response_headers(&mut host);
        assert_eq!(
            host.counted,
            [
                (Metric::Calls, labels(&["team/client", "team/orders", "RELEASE", "201"])),
                (Metric::Latency, labels(&["team/client", "team/orders", "RELEASE"]))
            ]
        );
    }

    #[test]
    fn a_refusal_answers_with_huaweis_body_marks_the_reply_and_is_counted() {
        let mut host = FakeHost::app_code_call("team/orders/RELEASE#0123456789ab");
        host.headers.retain(|(name, _)| name != ":scheme");
        host.headers.push((":scheme".to_owned(), b"http".to_vec()));
        let mut filter = AuthnFilter::new(config());
        assert_eq!(filter.on_request_headers(&mut host, true), Flow::Answered);
        let (status, body) = host.answer.clone().expect("an answer");
        assert_eq!(status, 401);
        assert!(body.contains("\"error_code\":\"APIG.0303\"") && body.contains("\"request_id\":\"r-1\""), "{body}");
        assert_eq!(host.header(REPLY_HEADER).as_deref(), Some("authn"));
        assert_eq!(host.counted, [(Metric::Denied, labels(&["team/orders", "RELEASE", "APIG.0303"]))]);
        filter.on_response_headers(&mut host);
        assert_eq!(host.counted.len(), 1);
    }

    #[test]
    fn a_body_is_awaited_then_decided_on_and_a_body_over_the_limit_is_refused() {
        let mut host = FakeHost::app_code_call("team/orders/RELEASE#0123456789ab");
        let mut filter = AuthnFilter::new(config());
        assert_eq!(filter.on_request_headers(&mut host, false), Flow::Buffer);
        assert_eq!(filter.on_request_body(&mut host, 4, false), Flow::Buffer);
        host.body = b"12345678".to_vec();
        assert_eq!(filter.on_request_body(&mut host, 8, true), Flow::Continue);
        assert_eq!(host.header(APP_ID_HEADER).as_deref(), Some("team/client"));

        let mut host = FakeHost::app_code_call("team/orders/RELEASE#0123456789ab");
        let mut filter = AuthnFilter::new(config());
        assert_eq!(filter.on_request_headers(&mut host, false), Flow::Buffer);
        assert_eq!(filter.on_request_body(&mut host, 9, false), Flow::Answered);
        assert_eq!(host.answer.as_ref().map(|(s, _)| *s), Some(413));
        assert_eq!(host.counted, [(Metric::Denied, labels(&["team/orders", "RELEASE", "APIG.0201"]))]);
        // Trailers after a body: the decision waits for them.
        let mut host = FakeHost::app_code_call("team/orders/RELEASE#0123456789ab");
        let mut filter = AuthnFilter::new(config());
        assert_eq!(filter.on_request_headers(&mut host, false), Flow::Buffer);
        assert_eq!(filter.on_request_body(&mut host, 2, false), Flow::Buffer);
        assert_eq!(filter.on_request_trailers(&mut host), Flow::Continue);
        assert_eq!(host.header(APP_ID_HEADER).as_deref(), Some("team/client"));
    }

    #[test]
    fn routes_without_facts_pass_and_a_filter_route_without_readable_facts_fails_closed() {
        let mut host = FakeHost { route: Some("team/plain/RELEASE"), ..FakeHost::default() };
        assert_eq!(AuthnFilter::new(config()).on_request_headers(&mut host, true), Flow::Continue);
        let mut host = FakeHost { route: None, ..FakeHost::default() };
        assert_eq!(AuthnFilter::new(config()).on_request_headers(&mut host, true), Flow::Continue);
        let mut host = FakeHost { route: Some("team/broken/RELEASE#ba9876543210"), ..FakeHost::default() };
        assert_eq!(AuthnFilter::new(config()).on_request_headers(&mut host, true), Flow::Answered);
        assert_eq!(host.answer.as_ref().map(|(s, _)| *s), Some(500));
    }

    #[test]
    fn a_panic_in_the_filter_answers_500_apig_0601_and_is_reported() {
        let mut host = FakeHost::app_code_call("team/orders/RELEASE#0123456789ab");
        let mut filter = AuthnFilter::new(config());
        let mut reported = false;
        let flow = guarded(&mut filter, &mut host, |_, _| panic!("a bug"), || reported = true);
        assert_eq!(flow, Flow::Answered);
        assert!(reported);
        let (status, body) = host.answer.expect("an answer");
        assert_eq!(status, 500);
        assert!(body.contains("\"error_code\":\"APIG.0601\""), "{body}");
        // Without a panic the callback's own answer stands.
        let mut host = FakeHost::app_code_call("team/orders/RELEASE#0123456789ab");
        assert_eq!(guarded(&mut filter, &mut host, |f, h| f.on_request_headers(h, true), || panic!("not reported")), Flow::Continue);
    }

    #[test]
    fn facts_are_read_once_per_digested_route_name() {
        let mut first = FakeHost::app_code_call("team/orders/RELEASE#cafecafecafe");
        assert_eq!(AuthnFilter::new(config()).on_request_headers(&mut first, true), Flow::Continue);
        // Same name, facts no longer readable: the kept entry answers.
        let mut second = FakeHost::app_code_call("team/orders/RELEASE#cafecafecafe");
        second.facts.clear();
        assert_eq!(AuthnFilter::new(config()).on_request_headers(&mut second, true), Flow::Continue);
        assert_eq!(second.header(APP_ID_HEADER).as_deref(), Some("team/client"));
    }
}
