//! Simple authentication (docs/authentication.md): `X-Apig-AppCode: <code>` instead of a
//! signature, on Apis that enable it, over HTTPS only.

use crate::config::{App, Config};
use crate::errors::{app_auth_failure, Denial};
use crate::js_text::js_trim;

pub const APP_CODE_HEADER: &str = "x-apig-appcode";

pub fn verify_app_code<'c>(code: &str, enabled: bool, tls: bool, config: &'c Config) -> Result<&'c App, Denial> {
    if !enabled {
        return Err(app_auth_failure("app code authentication is not enabled for this API, sign the request"));
    }
    if !tls {
        return Err(app_auth_failure("app code authentication is only supported over HTTPS"));
    }
    config.app_by_code(js_trim(code)).ok_or_else(|| app_auth_failure("app code not found"))
}
