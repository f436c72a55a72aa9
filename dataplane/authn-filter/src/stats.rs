//! Per-App and authn-refusal statistics (docs/operating.md, "Data plane"). Each name carries its
//! labels as `;key=value` segments; the Envoy bootstrap's stats_tags
//! (xds-server/src/bootstrap/bootstrap.ts) take them out of the name into Prometheus labels, and
//! Envoy exports a Wasm filter's metrics (`wasmcustom.` prefix) without its own `envoy_` prefix.
//! Label values are Kubernetes names, environment names, HTTP statuses and APIG codes: none
//! holds `;`, and none is a secret.

/// Calls an App made, by Api, environment and answer status.
pub const CALLS: &str = "turnpike_app_rq_total";
/// From the filter's decision to the answer's headers, ms, by App, Api and environment.
pub const LATENCY: &str = "turnpike_app_rq_time";
/// Calls the filter refused, by Api, environment and APIG error code.
pub const DENIED: &str = "turnpike_authn_denied_total";

/// Label sets past this many are not recorded (a bound on Envoy's memory and the scrape's size).
pub const MAX_SERIES: usize = 20_000;

/// The labels of one authenticated call: `;app=…;api=…;env=…`.
pub fn app_labels(app: &str, api: &str, environment: &str) -> String {
    format!(";app={app};api={api};env={environment}")
}

/// The calls counter of an App's call that was answered with `status` (`other` unless 3 digits).
pub fn calls_name(labels: &str, status: &[u8]) -> String {
    let status = if status.len() == 3 && status.iter().all(u8::is_ascii_digit) { String::from_utf8_lossy(status) } else { "other".into() };
    format!("{CALLS}{labels};code={status}")
}

pub fn latency_name(labels: &str) -> String {
    format!("{LATENCY}{labels}")
}

pub fn denied_name(api: &str, environment: &str, code: &str) -> String {
    format!("{DENIED};api={api};env={environment};error_code={code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_their_labels() {
        let labels = app_labels("team/client", "team/orders", "RELEASE");
        assert_eq!(calls_name(&labels, b"200"), "turnpike_app_rq_total;app=team/client;api=team/orders;env=RELEASE;code=200");
        assert_eq!(latency_name(&labels), "turnpike_app_rq_time;app=team/client;api=team/orders;env=RELEASE");
        assert_eq!(
            denied_name("team/orders", "DEV", "APIG.0303"),
            "turnpike_authn_denied_total;api=team/orders;env=DEV;error_code=APIG.0303"
        );
    }

    #[test]
    fn a_status_that_is_not_three_digits_is_other() {
        for status in [&b""[..], b"20", b"2000", b"2x0", b"\xff\xff\xff"] {
            assert!(calls_name("", status).ends_with(";code=other"));
        }
    }
}
