//! The filter's configuration as Envoy creates it (one per ECDS update): the Apps and keys, and
//! the ids Envoy gave the filter's metrics.

use crate::host::Metric;
use crate::stats::METRICS;
use apig_auth::Config;
use std::sync::Arc;

/// Envoy's id of each metric, in `METRICS` order.
#[derive(Debug, Default)]
pub struct MetricIds([usize; METRICS.len()]);

impl MetricIds {
    pub fn get(&self, metric: Metric) -> usize {
        let index = METRICS.iter().position(|m| *m == metric).unwrap_or_default();
        self.0.get(index).copied().unwrap_or_default()
    }
}

pub struct ModuleConfig {
    pub auth: Arc<Config>,
    pub metrics: MetricIds,
}

impl ModuleConfig {
    /// Parses the JSON the control plane sent and defines the metrics with `define`.
    pub fn new(json: &[u8], mut define: impl FnMut(Metric) -> Result<usize, String>) -> Result<Self, String> {
        let auth = Config::from_json(json).map_err(|e| e.0)?;
        let mut ids = [0; METRICS.len()];
        for (id, metric) in ids.iter_mut().zip(METRICS) {
            *id = define(metric)?;
        }
        Ok(Self { auth: Arc::new(auth), metrics: MetricIds(ids) })
    }

    /// Counts only: the configuration holds secrets.
    pub fn summary(&self) -> String {
        format!(
            "turnpike.authn: configured {} apps, {} signature keys, secrets [redacted]",
            self.auth.app_count(),
            self.auth.signature_key_count()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defines_every_metric_and_refuses_bad_json_or_a_failed_definition() {
        let mut next = 10;
        let config = ModuleConfig::new(br#"{"apps": []}"#, |_| {
            next += 1;
            Ok(next)
        })
        .expect("config");
        assert_eq!([Metric::Calls, Metric::Latency, Metric::Denied].map(|m| config.metrics.get(m)), [11, 12, 13]);
        assert!(config.summary().contains("0 apps") && config.summary().contains("[redacted]"));
        assert!(ModuleConfig::new(b"[]", |_| Ok(0)).is_err());
        assert_eq!(ModuleConfig::new(b"{}", |_| Err("frozen".to_owned())).err().as_deref(), Some("frozen"));
    }
}
