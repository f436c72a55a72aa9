//! Per-App and authn-refusal statistics (docs/operating.md, "Data plane"), defined as labelled
//! metrics when the filter's configuration is created: Envoy exports them to Prometheus under
//! these names with these labels. Label values are Kubernetes names, environment names, HTTP
//! statuses and APIG codes: none is a secret.

use crate::host::Metric;
use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// Name and label names of each metric.
pub fn definition(metric: Metric) -> (&'static str, &'static [&'static str]) {
    match metric {
        // Calls an App made, by Api, environment and answer status.
        Metric::Calls => ("turnpike_app_rq_total", &["turnpike_app", "turnpike_api", "turnpike_environment", "turnpike_response_code"]),
        // From the filter's decision to the answer's headers, ms.
        Metric::Latency => ("turnpike_app_rq_time", &["turnpike_app", "turnpike_api", "turnpike_environment"]),
        // Calls the filter refused, by Api, environment and APIG error code.
        Metric::Denied => ("turnpike_authn_denied_total", &["turnpike_api", "turnpike_environment", "turnpike_error_code"]),
    }
}

pub const METRICS: [Metric; 3] = [Metric::Calls, Metric::Latency, Metric::Denied];

/// Label sets past this many (per worker thread) are not recorded: a bound on Envoy's memory and
/// on the scrape's size.
pub const MAX_SERIES: usize = 20_000;

thread_local! {
    // The series seen on this worker thread, by a hash of metric and labels: nothing is allocated
    // per call for a known series.
    static SERIES: RefCell<HashSet<u64>> = RefCell::new(HashSet::new());
}

/// Whether a series may be recorded: known already, or still room for a new one.
pub fn admit(metric: Metric, labels: &[&str]) -> bool {
    let mut hasher = DefaultHasher::new();
    (metric, labels).hash(&mut hasher);
    let key = hasher.finish();
    SERIES.with(|series| {
        let mut series = series.borrow_mut();
        series.contains(&key) || (series.len() < MAX_SERIES && series.insert(key))
    })
}

/// An answer's status as a label: three digits, else `other`.
pub fn status_label(status: &[u8]) -> String {
    if status.len() == 3 && status.iter().all(u8::is_ascii_digit) {
        String::from_utf8_lossy(status).into_owned()
    } else {
        "other".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_labels_are_the_documented_prometheus_series() {
        // docs/operating.md lists these; dashboards and alerts query them.
        assert_eq!(
            METRICS.map(definition),
            [
                ("turnpike_app_rq_total", &["turnpike_app", "turnpike_api", "turnpike_environment", "turnpike_response_code"][..]),
                ("turnpike_app_rq_time", &["turnpike_app", "turnpike_api", "turnpike_environment"][..]),
                ("turnpike_authn_denied_total", &["turnpike_api", "turnpike_environment", "turnpike_error_code"][..]),
            ]
        );
    }

    #[test]
    fn a_status_that_is_not_three_digits_is_other() {
        assert_eq!(status_label(b"200"), "200");
        for status in [&b""[..], b"20", b"2000", b"2x0", b"\xff\xff\xff"] {
            assert_eq!(status_label(status), "other");
        }
    }

    #[test]
    fn series_past_the_bound_are_not_admitted_but_known_ones_are() {
        std::thread::spawn(|| {
            for i in 0..MAX_SERIES {
                assert!(admit(Metric::Denied, &["a", "b", &i.to_string()]));
            }
            assert!(!admit(Metric::Denied, &["a", "b", "new"]));
            assert!(admit(Metric::Denied, &["a", "b", "7"]));
        })
        .join()
        .unwrap();
    }
}
