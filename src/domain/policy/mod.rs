//! Which servers this node federates with. In `blocklist` mode (the default) it talks to
//! every server but the blocked ones; in `allowlist` mode only to the allowed ones. A rule for
//! `example.org` also covers its subdomains; a rule naming a port (`localhost:8081`) covers
//! that server alone.
//!
//! Here: how a policy decides. Loading it and changing its rules is in [`rules`].

mod rules;

pub use rules::{load, normalise_domain, remove_rule, set_mode, set_rule};

use crate::db::DomainRuleRow;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    /// Open federation: everyone but the blocked domains. The default, so a new node can join
    /// its network at once; a closed network switches to `allowlist`.
    #[default]
    Blocklist,
    Allowlist,
}

impl FederationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            FederationMode::Blocklist => "blocklist",
            FederationMode::Allowlist => "allowlist",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    Allow,
    Block,
}

impl RuleAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Allow => "allow",
            RuleAction::Block => "block",
        }
    }
}

/// The policy in force: the mode, the local rules, and the rules taken from subscribed
/// lists (`(domain, action)`), which yield to local rules.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub mode: FederationMode,
    pub rules: Vec<DomainRuleRow>,
    pub subscribed: Vec<(String, String)>,
}

/// A host (`name` or `name:port`) as policy compares it: lower case, without the trailing dot
/// of a fully qualified name (`example.org.` is the same server as `example.org`).
pub fn normalise_host(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    match host.rsplit_once(':') {
        // Not an IPv6 literal's colons: a port follows the last one.
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}:{port}", name.strip_suffix('.').unwrap_or(name))
        }
        _ => host.strip_suffix('.').unwrap_or(&host).to_string(),
    }
}

/// The server of a URL as policy names it: `host`, or `host:port` when the port is not the
/// scheme's default, normalised by [`normalise_host`]. `None` for URLs without a host.
pub fn server_of(url: &url::Url) -> Option<String> {
    let host = url.host_str()?;
    Some(normalise_host(&match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }))
}

fn covers(rule: &str, host: &str) -> bool {
    let (rule, host) = (normalise_host(rule), normalise_host(host));
    if rule.contains(':') {
        return host == rule;
    }
    let name = host.split(':').next().unwrap_or_default();
    name == rule || name.ends_with(&format!(".{rule}"))
}

impl Policy {
    /// True when this node may exchange anything with `host` (a host name, with the port when
    /// it is not the default one).
    ///
    /// A local rule wins over a subscribed one: a domain allowed here stays allowed when a
    /// subscribed blocklist names it, and a domain blocked here stays blocked when a
    /// subscribed allowlist names it.
    pub fn permits(&self, host: &str) -> bool {
        let local = |action: &str| {
            self.rules
                .iter()
                .any(|r| r.action == action && covers(&r.domain, host))
        };
        let subscribed = |action: &str| {
            self.subscribed
                .iter()
                .any(|(domain, a)| a == action && covers(domain, host))
        };
        let (local_allow, local_block) = (local("allow"), local("block"));
        let blocked = local_block || (subscribed("block") && !local_allow);
        let allowed = local_allow || subscribed("allow");
        match self.mode {
            FederationMode::Blocklist => !blocked,
            FederationMode::Allowlist => allowed && !blocked,
        }
    }

    /// `permits` for the server of a URL.
    pub fn permits_url(&self, url: &url::Url) -> bool {
        server_of(url).is_some_and(|host| self.permits(&host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(domain: &str, action: &str) -> DomainRuleRow {
        DomainRuleRow {
            domain: domain.into(),
            action: action.into(),
            reason: String::new(),
            created_at: 0,
        }
    }

    #[test]
    fn modes_and_rules() {
        let open = Policy {
            mode: FederationMode::Blocklist,
            rules: vec![rule("bad.example", "block")],
            subscribed: vec![],
        };
        assert!(open.permits("good.example"));
        assert!(!open.permits("bad.example"));
        assert!(!open.permits("sub.bad.example"));
        assert!(!open.permits("bad.example:8443"));
        assert!(open.permits("notbad.example"));
        let closed = Policy {
            mode: FederationMode::Allowlist,
            rules: vec![
                rule("member.example", "allow"),
                rule("localhost:8081", "allow"),
            ],
            subscribed: vec![],
        };
        assert!(closed.permits("member.example"));
        assert!(closed.permits("localhost:8081"));
        assert!(!closed.permits("localhost:8082"));
        assert!(!closed.permits("stranger.example"));
        assert!(normalise_domain("https://x").is_err());
        let shared = |mode| Policy {
            mode,
            rules: vec![
                rule("friend.example", "allow"),
                rule("foe.example", "block"),
            ],
            subscribed: vec![
                ("friend.example".into(), "block".into()),
                ("spam.example".into(), "block".into()),
                ("foe.example".into(), "allow".into()),
                ("member.example".into(), "allow".into()),
            ],
        };
        let open = shared(FederationMode::Blocklist);
        assert!(open.permits("friend.example"), "local allow wins");
        assert!(!open.permits("spam.example"));
        assert!(!open.permits("foe.example"));
        let closed = shared(FederationMode::Allowlist);
        assert!(closed.permits("member.example"));
        assert!(closed.permits("friend.example"));
        assert!(!closed.permits("foe.example"), "local block wins");
        assert!(!closed.permits("stranger.example"));
        assert_eq!(
            normalise_domain(" Member.Example ").expect("ok"),
            "member.example"
        );
    }

    #[test]
    fn a_trailing_dot_names_the_same_server() {
        let url = |s: &str| url::Url::parse(s).expect("url");
        let blocked = Policy {
            mode: FederationMode::Blocklist,
            rules: vec![
                rule("evil.example", "block"),
                rule("port.example:8443", "block"),
            ],
            subscribed: vec![("listed.example.".into(), "block".into())],
        };
        for refused in [
            "https://evil.example/x",
            "https://evil.example./x",
            "https://sub.evil.example./x",
            "https://EVIL.example./x",
            "https://port.example.:8443/x",
            "https://listed.example/x",
            "https://listed.example./x",
        ] {
            assert!(!blocked.permits_url(&url(refused)), "{refused}");
        }
        // Control: the same probe lets other servers through.
        for allowed in ["https://good.example./x", "https://port.example.:8444/x"] {
            assert!(blocked.permits_url(&url(allowed)), "{allowed}");
        }
        assert_eq!(
            normalise_domain("Evil.Example.").expect("ok"),
            "evil.example"
        );
        assert_eq!(normalise_host("a.example.:8080"), "a.example:8080");
        assert_eq!(normalise_host("[::1]:8080"), "[::1]:8080");
        let closed = Policy {
            mode: FederationMode::Allowlist,
            rules: vec![rule("member.example.", "allow")],
            subscribed: vec![],
        };
        assert!(closed.permits_url(&url("https://member.example/x")));
        assert!(closed.permits_url(&url("https://member.example./x")));
        assert!(!closed.permits_url(&url("https://stranger.example./x")));
    }
}
