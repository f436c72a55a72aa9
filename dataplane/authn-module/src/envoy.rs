//! Envoy's side of `Host`: each method is one or two ABI callbacks (abi.rs). What Envoy returns
//! is copied out before any setter runs, since a setter may invalidate it.
#![allow(unsafe_code)]

use crate::abi::*;
use crate::host::{Header, Host, Metric};
use crate::module::MetricIds;
use crate::stats::definition;
use std::time::{SystemTime, UNIX_EPOCH};

/// Defines one of the filter's metrics on the configuration Envoy is creating.
pub fn define_metric(config: EnvoyPtr, metric: Metric) -> Result<usize, String> {
    let (name, labels) = definition(metric);
    let labels: Vec<ModuleBuffer> = labels.iter().map(|l| ModuleBuffer { ptr: l.as_ptr(), length: l.len() }).collect();
    let mut id = 0;
    // SAFETY: `config` is the configuration Envoy passed to config_new; the buffers outlive the call.
    let result = unsafe {
        let define = match metric {
            Metric::Latency => envoy_dynamic_module_callback_http_filter_config_define_histogram_vec,
            Metric::Calls | Metric::Denied => envoy_dynamic_module_callback_http_filter_config_define_counter_vec,
        };
        define(config, name.as_ptr(), name.len(), labels.as_ptr(), labels.len(), &mut id)
    };
    if result == METRICS_SUCCESS {
        Ok(id)
    } else {
        Err(format!("Envoy refused to define the metric {name} (result {result})"))
    }
}

/// The metadata namespace the control plane writes a route's facts under (the filter's name).
const FACTS_NAMESPACE: &str = "turnpike.authn";

fn module_buffers(values: &[&str]) -> Vec<ModuleBuffer> {
    values.iter().map(|v| ModuleBuffer { ptr: v.as_ptr(), length: v.len() }).collect()
}

/// One stream, for the length of one hook.
pub struct EnvoyStream<'a> {
    envoy: EnvoyPtr,
    metrics: &'a MetricIds,
}

impl<'a> EnvoyStream<'a> {
    pub fn new(envoy: EnvoyPtr, metrics: &'a MetricIds) -> Self {
        Self { envoy, metrics }
    }

    /// The body slices Envoy holds for the request: what earlier chunks buffered, then the chunk
    /// of this hook. At the end of the stream Envoy may already have moved that chunk into the
    /// buffered body, and when a filter before this one buffered the body the chunk *is* the
    /// buffered body: a chunk whose slices are buffered ones is not counted twice.
    fn body_slices(&self) -> Vec<&[u8]> {
        let buffered = self.slices(
            envoy_dynamic_module_callback_http_get_buffered_request_body_vector_size,
            envoy_dynamic_module_callback_http_get_buffered_request_body_vector,
        );
        let received = self.slices(
            envoy_dynamic_module_callback_http_get_received_request_body_vector_size,
            envoy_dynamic_module_callback_http_get_received_request_body_vector,
        );
        let seen = |slice: &&[u8]| buffered.iter().any(|b| std::ptr::eq(b.as_ptr(), slice.as_ptr()));
        if received.iter().any(seen) {
            return buffered;
        }
        buffered.into_iter().chain(received).collect()
    }

    fn slices(
        &self,
        size: unsafe extern "C" fn(EnvoyPtr, *mut usize) -> bool,
        read: unsafe extern "C" fn(EnvoyPtr, *mut EnvoyBuffer) -> bool,
    ) -> Vec<&[u8]> {
        let mut count = 0;
        // SAFETY: Envoy writes `count` slices into a vector of that many; they stay valid for this
        // hook, during which no setter runs before they are copied.
        unsafe {
            if !size(self.envoy, &mut count) || count == 0 {
                return Vec::new();
            }
            let mut buffers: Vec<EnvoyBuffer> = (0..count).map(|_| EnvoyBuffer { ptr: std::ptr::null(), length: 0 }).collect();
            if !read(self.envoy, buffers.as_mut_ptr()) {
                return Vec::new();
            }
            buffers.iter().map(|b| bytes(b.ptr, b.length)).filter(|s| !s.is_empty()).collect()
        }
    }

    pub fn request_body_length(&self) -> usize {
        self.body_slices().iter().map(|s| s.len()).sum()
    }

    fn header(
        &self,
        name: &str,
        get: unsafe extern "C" fn(EnvoyPtr, *const u8, usize, *mut *const u8, *mut usize, usize) -> usize,
    ) -> Option<Vec<u8>> {
        let mut value = std::ptr::null();
        let mut length = 0;
        // SAFETY: Envoy writes a pointer to the first value, valid during this hook; it is copied at once.
        unsafe {
            if get(self.envoy, name.as_ptr(), name.len(), &mut value, &mut length, 0) == 0 || value.is_null() {
                return None;
            }
            Some(bytes(value, length).to_vec())
        }
    }
}

impl Host for EnvoyStream<'_> {
    fn route_name(&self) -> Option<Vec<u8>> {
        let mut value = std::ptr::null();
        let mut length = 0;
        // SAFETY: as `header`.
        unsafe {
            if !envoy_dynamic_module_callback_http_filter_get_attribute_string(self.envoy, ATTRIBUTE_ROUTE_NAME, &mut value, &mut length) {
                return None;
            }
            Some(bytes(value, length).to_vec())
        }
    }

    fn route_fact(&self, key: &str) -> Option<String> {
        let mut value = std::ptr::null();
        let mut length = 0;
        // SAFETY: as `header`.
        unsafe {
            let found = envoy_dynamic_module_callback_http_get_metadata_string(
                self.envoy,
                METADATA_ROUTE,
                FACTS_NAMESPACE.as_ptr(),
                FACTS_NAMESPACE.len(),
                key.as_ptr(),
                key.len(),
                &mut value,
                &mut length,
            );
            found.then(|| String::from_utf8_lossy(bytes(value, length)).into_owned())
        }
    }

    fn request_headers(&self) -> Vec<Header> {
        // SAFETY: Envoy fills `count` entries of a vector of that many; the bytes they point at
        // stay valid for this hook and are copied at once.
        unsafe {
            let count = envoy_dynamic_module_callback_http_get_request_headers_count(self.envoy);
            let empty = || HttpHeader { key_ptr: std::ptr::null(), key_length: 0, value_ptr: std::ptr::null(), value_length: 0 };
            let mut headers: Vec<HttpHeader> = (0..count).map(|_| empty()).collect();
            if count == 0 || !envoy_dynamic_module_callback_http_get_request_headers(self.envoy, headers.as_mut_ptr()) {
                return Vec::new();
            }
            headers
                .iter()
                .map(|h| {
                    (String::from_utf8_lossy(bytes(h.key_ptr, h.key_length)).into_owned(), bytes(h.value_ptr, h.value_length).to_vec())
                })
                .collect()
        }
    }

    fn request_header(&self, name: &str) -> Option<Vec<u8>> {
        self.header(name, envoy_dynamic_module_callback_http_get_request_header)
    }

    fn set_request_header(&mut self, name: &str, value: &[u8]) {
        // SAFETY: Envoy copies both; a non-null pointer sets (an empty slice's pointer is non-null).
        unsafe {
            envoy_dynamic_module_callback_http_set_request_header(self.envoy, name.as_ptr(), name.len(), value.as_ptr(), value.len());
        }
    }

    fn remove_request_header(&mut self, name: &str) {
        // SAFETY: a null value removes the header.
        unsafe {
            envoy_dynamic_module_callback_http_set_request_header(self.envoy, name.as_ptr(), name.len(), std::ptr::null(), 0);
        }
    }

    fn request_body(&self) -> Vec<u8> {
        self.body_slices().concat()
    }

    fn response_header(&self, name: &str) -> Option<Vec<u8>> {
        self.header(name, envoy_dynamic_module_callback_http_get_response_header)
    }

    fn send_response(&mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let headers: Vec<HttpHeader> = headers
            .iter()
            .map(|(k, v)| HttpHeader { key_ptr: k.as_ptr(), key_length: k.len(), value_ptr: v.as_ptr(), value_length: v.len() })
            .collect();
        // SAFETY: Envoy copies the headers and the body during the call.
        unsafe {
            envoy_dynamic_module_callback_http_send_response(
                self.envoy,
                u32::from(status),
                headers.as_ptr(),
                headers.len(),
                body.as_ptr(),
                body.len(),
            );
        }
    }

    fn now_ms(&self) -> i64 {
        let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    }

    fn increment(&mut self, metric: Metric, labels: &[&str]) {
        self.update(metric, labels, 1, envoy_dynamic_module_callback_http_filter_increment_counter_vec);
    }

    fn record(&mut self, metric: Metric, labels: &[&str], value: u64) {
        self.update(metric, labels, value, envoy_dynamic_module_callback_http_filter_record_histogram_value_vec);
    }
}

impl EnvoyStream<'_> {
    /// Adds to a counter or records into a histogram, by the metric's id and label values.
    fn update(
        &self,
        metric: Metric,
        labels: &[&str],
        value: u64,
        call: unsafe extern "C" fn(EnvoyPtr, usize, *const ModuleBuffer, usize, u64) -> u32,
    ) {
        let labels = module_buffers(labels);
        // SAFETY: the id is the configuration's; the buffers outlive the call. A failure loses one
        // count, never the call itself.
        unsafe {
            call(self.envoy, self.metrics.get(metric), labels.as_ptr(), labels.len(), value);
        }
    }
}
