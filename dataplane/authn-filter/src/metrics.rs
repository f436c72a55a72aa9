//! Envoy metrics by name (stats.rs), each defined once per VM and then reused by its id.

use crate::stats::MAX_SERIES;
use log::warn;
use proxy_wasm::hostcalls::{define_metric, increment_metric, record_metric};
use proxy_wasm::types::MetricType;
use std::collections::HashMap;

#[derive(Default)]
pub struct Metrics {
    ids: HashMap<String, u32>,
    full: bool,
}

impl Metrics {
    pub fn increment(&mut self, name: String) {
        if let Some(id) = self.id(name, MetricType::Counter) {
            // A failed host call loses one count, never the call itself.
            let _ = increment_metric(id, 1);
        }
    }

    pub fn record(&mut self, name: String, value: u64) {
        if let Some(id) = self.id(name, MetricType::Histogram) {
            let _ = record_metric(id, value);
        }
    }

    fn id(&mut self, name: String, kind: MetricType) -> Option<u32> {
        if let Some(id) = self.ids.get(&name) {
            return Some(*id);
        }
        if self.ids.len() >= MAX_SERIES {
            if !self.full {
                warn!("turnpike.authn: {MAX_SERIES} metric series defined, new ones are not recorded");
                self.full = true;
            }
            return None;
        }
        let id = define_metric(kind, &name).ok()?;
        self.ids.insert(name, id);
        Some(id)
    }
}
