//! The module's entry point. proxy-wasm's `main!` exports `_initialize` (a `#[no_mangle]`
//! function that also runs the WASI constructors in an `unsafe` block of the macro's own); that
//! is the only reason for the allowance: this crate has no unsafe code of its own.
#![allow(unsafe_code)]

use crate::root::AuthnRoot;
use proxy_wasm::traits::RootContext;
use proxy_wasm::types::LogLevel;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Info);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(AuthnRoot::default()) });
}}
