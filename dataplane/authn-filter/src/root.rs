//! The root context: parses the configuration (on_configure) and hands it to each request.

use crate::http::AuthnHttp;
use crate::metrics::Metrics;
use crate::route_cache::RouteCache;
use apig_auth::Config;
use log::{error, info};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::ContextType;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Default)]
pub struct AuthnRoot {
    /// None until a configuration parsed: requests on routes that need the filter get 500.
    config: Option<Rc<Config>>,
    routes: Rc<RefCell<RouteCache>>,
    metrics: Rc<RefCell<Metrics>>,
}

impl Context for AuthnRoot {}

impl RootContext for AuthnRoot {
    /// Returning false makes Envoy refuse this configuration (and keep the last good one).
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        let Some(json) = self.get_plugin_configuration() else {
            error!("turnpike.authn: no configuration");
            return false;
        };
        match Config::from_json(&json) {
            Ok(config) => {
                // Counts only: the configuration holds secrets.
                info!(
                    "turnpike.authn: configured {} apps, {} signature keys, secrets [redacted]",
                    config.app_count(),
                    config.signature_key_count()
                );
                self.config = Some(Rc::new(config));
                true
            }
            Err(e) => {
                error!("turnpike.authn: configuration refused: {e}");
                false
            }
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(AuthnHttp::new(self.config.clone(), Rc::clone(&self.routes), Rc::clone(&self.metrics))))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}
