//! What the filter needs from Envoy for one request, as a trait: Envoy's side (envoy.rs) is the
//! only code that touches the host ABI, and the tests drive the filter with a fake.

/// A request header as Envoy hands it over: lower-case name, raw value bytes.
pub type Header = (String, Vec<u8>);

/// A metric the filter defined when its configuration was created (stats.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    Calls,
    Latency,
    Denied,
}

pub trait Host {
    /// The name of the route the request matched (None: no route).
    fn route_name(&self) -> Option<Vec<u8>>;
    /// A string value of the route's metadata under the filter's namespace.
    fn route_fact(&self, key: &str) -> Option<String>;
    fn request_headers(&self) -> Vec<Header>;
    fn request_header(&self, name: &str) -> Option<Vec<u8>>;
    fn set_request_header(&mut self, name: &str, value: &[u8]);
    fn remove_request_header(&mut self, name: &str);
    /// The whole request body received so far.
    fn request_body(&self) -> Vec<u8>;
    fn response_header(&self, name: &str) -> Option<Vec<u8>>;
    /// Answers the request locally; the filter then stops the request's iteration.
    fn send_response(&mut self, status: u16, headers: &[(&str, &str)], body: &[u8]);
    fn now_ms(&self) -> i64;
    /// Adds one to a counter (Calls, Denied) with these label values.
    fn increment(&mut self, metric: Metric, labels: &[&str]);
    /// Records a histogram value (Latency) with these label values.
    fn record(&mut self, metric: Metric, labels: &[&str], value: u64);
}
