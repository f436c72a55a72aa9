//! Authorisation (docs/authentication.md): an App calls an Api in an environment only when
//! granted that Api, or its whole ApiGroup, in that environment.

use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantKind {
    Api,
    ApiGroup,
}

#[derive(Clone, Debug)]
pub struct Grant {
    pub kind: GrantKind,
    /// `<namespace>/<name>` of the Api or ApiGroup.
    pub target: String,
    pub environments: HashSet<String>,
}

/// The Api, its group and the environment a request calls.
pub struct ApiInEnvironment<'a> {
    pub api: &'a str,
    pub group: &'a str,
    pub environment: &'a str,
}

pub fn is_granted(grants: &[Grant], target: &ApiInEnvironment<'_>) -> bool {
    grants.iter().any(|grant| {
        let name = match grant.kind {
            GrantKind::Api => target.api,
            GrantKind::ApiGroup => target.group,
        };
        grant.target == name && grant.environments.contains(target.environment)
    })
}
