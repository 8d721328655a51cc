//! Node configuration: an optional `gotong.toml`, overridden by `GOTONG_*` environment variables.
//!
//! Nothing here is global: `Config` is built once by the CLI (or by a test) and passed down.

use serde::Deserialize;
use std::{collections::BTreeMap, net::SocketAddr, path::Path};

/// Every setting a node understands. Field names double as the TOML keys; the environment
/// variable for a field is `GOTONG_` followed by the field name in upper case.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Public host name of the node, with a port when it is not the default one
    /// (`gotong.example.org`, `localhost:8080`). It is part of every ActivityPub id.
    pub domain: String,
    /// Socket address the HTTP server binds to.
    pub listen: SocketAddr,
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub database_url: String,
    /// Local development: federate over plain http and to loopback addresses.
    pub dev: bool,
    /// Handle of the organisation created on first start (`acct:HANDLE@DOMAIN`).
    pub org_handle: String,
    /// Display name of that organisation.
    pub org_name: String,
    /// How many destinations are delivered to at once.
    pub delivery_concurrency: usize,
    /// Seconds after which an undeliverable activity is given up. Mastodon retries for about
    /// a week; we keep trying for eight days so a server down over a long weekend catches up.
    pub delivery_give_up_after_secs: i64,
    /// Seconds before the first retry of a failed delivery; each further retry waits twice as
    /// long, up to six hours.
    pub delivery_retry_base_secs: i64,
    /// Timeout of one outgoing HTTP request, in seconds.
    pub http_timeout_secs: u64,
    /// File holding the key that encrypts referral data and private activities at rest.
    /// Created on first start; keep it out of database backups, and back it up apart.
    pub secret_key_file: String,
    /// Days after a referral ends (completed, declined, withdrawn, expired or closed) before
    /// its personal fields are erased.
    pub referral_retention_days: i64,
    /// Days after which a referral nobody accepted or declined becomes `expired`.
    pub referral_expiry_days: i64,
    /// Requests a minute one remote server may make to the inboxes.
    pub inbox_rate_per_minute: u32,
    /// Requests a minute one client address may make to the API.
    pub api_rate_per_minute: u32,
    /// Login and setup attempts a minute from one client address.
    pub login_rate_per_minute: u32,
    /// Serve ActivityPub collections and objects only to signed requests from servers this
    /// node federates with. Off by default: on the open fediverse readers fetch public objects
    /// unsigned; a closed network turns it on.
    pub authorized_fetch: bool,
    /// Seconds between two refreshes of the domain lists this node subscribes to.
    pub policy_refresh_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            domain: "localhost:8080".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/gotong.db".into(),
            dev: false,
            org_handle: "organisation".into(),
            org_name: "My Organisation".into(),
            delivery_concurrency: 8,
            delivery_give_up_after_secs: 8 * 24 * 3600,
            delivery_retry_base_secs: 30,
            http_timeout_secs: 10,
            secret_key_file: "data/secret.key".into(),
            referral_retention_days: 90,
            referral_expiry_days: 30,
            inbox_rate_per_minute: 600,
            api_rate_per_minute: 1200,
            login_rate_per_minute: 20,
            authorized_fetch: false,
            policy_refresh_secs: 3600,
        }
    }
}

/// A setting that could not be used; the message always names the setting.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {cause}")]
    File { path: String, cause: String },
    #[error("invalid config file {path}: {cause}")]
    Toml { path: String, cause: String },
    #[error("unknown setting {0} (known: {known})", known = known_env_names().join(", "))]
    UnknownEnv(String),
    #[error("unknown setting {0:?} in the configuration file (known: {known})", known = FIELDS.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(", "))]
    UnknownKey(String),
    #[error("invalid value for {name}: {cause}")]
    Invalid { name: String, cause: String },
}

/// What an environment value is parsed as before serde sees it.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Flag,
    Number,
}

const FIELDS: &[(&str, Kind)] = &[
    ("domain", Kind::Text),
    ("listen", Kind::Text),
    ("database_url", Kind::Text),
    ("dev", Kind::Flag),
    ("org_handle", Kind::Text),
    ("org_name", Kind::Text),
    ("delivery_concurrency", Kind::Number),
    ("delivery_give_up_after_secs", Kind::Number),
    ("delivery_retry_base_secs", Kind::Number),
    ("http_timeout_secs", Kind::Number),
    ("secret_key_file", Kind::Text),
    ("referral_retention_days", Kind::Number),
    ("referral_expiry_days", Kind::Number),
    ("inbox_rate_per_minute", Kind::Number),
    ("api_rate_per_minute", Kind::Number),
    ("login_rate_per_minute", Kind::Number),
    ("authorized_fetch", Kind::Flag),
    ("policy_refresh_secs", Kind::Number),
];

/// Environment variables that are not settings but are read by the CLI itself.
const ENV_NOT_SETTINGS: &[&str] = &["GOTONG_CONFIG", "GOTONG_LOG", "GOTONG_NEW_PASSWORD"];
/// Prefixes of variables read by the test suite and the benchmarks, never by a node.
const ENV_TOOLING_PREFIXES: &[&str] = &["GOTONG_TEST_", "GOTONG_BENCH_"];

fn known_env_names() -> Vec<String> {
    FIELDS.iter().map(|(f, _)| env_name(f)).collect()
}

fn env_name(field: &str) -> String {
    format!("GOTONG_{}", field.to_uppercase())
}

impl Config {
    /// Loads the file (if given and present) and applies the `GOTONG_*` variables from `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(path) if path.exists() => read_toml(path)?,
            _ => toml::Table::new(),
        };
        let env: BTreeMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("GOTONG_") && !ENV_NOT_SETTINGS.contains(&k.as_str()))
            .filter(|(k, _)| !ENV_TOOLING_PREFIXES.iter().any(|p| k.starts_with(p)))
            .collect();
        for (name, raw) in env {
            let field = name["GOTONG_".len()..].to_lowercase();
            let Some((_, kind)) = FIELDS.iter().find(|(f, _)| *f == field) else {
                return Err(ConfigError::UnknownEnv(name));
            };
            let value = env_value(*kind, &raw).ok_or_else(|| ConfigError::Invalid {
                name: name.clone(),
                cause: format!("cannot read {raw:?} as {}", kind.describe()),
            })?;
            table.insert(field, value);
        }
        // Each setting is tried alone first, so an error names the setting that caused it.
        for (key, value) in &table {
            if !FIELDS.iter().any(|(f, _)| f == key) {
                return Err(ConfigError::UnknownKey(key.clone()));
            }
            let mut single = toml::Table::new();
            single.insert(key.clone(), value.clone());
            toml::Value::Table(single)
                .try_into::<Config>()
                .map_err(|e| ConfigError::Invalid {
                    name: env_name(key),
                    cause: e.message().to_string(),
                })?;
        }
        let config: Config =
            toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| ConfigError::Invalid {
                    name: "configuration".into(),
                    cause: e.message().to_string(),
                })?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |name: &str, cause: &str| ConfigError::Invalid {
            name: env_name(name),
            cause: cause.to_string(),
        };
        let parsed = url::Url::parse(&format!("http://{}/", self.domain))
            .map_err(|e| invalid("domain", &e.to_string()))?;
        if parsed.host_str().is_none() || parsed.path() != "/" || self.domain.contains('@') {
            return Err(invalid(
                "domain",
                "expected a host name with an optional port",
            ));
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres:")
            || self.database_url.starts_with("postgresql:"))
        {
            return Err(invalid(
                "database_url",
                "expected a sqlite:// or postgres:// URL",
            ));
        }
        crate::domain::organisations::validate_handle(&self.org_handle)
            .map_err(|e| invalid("org_handle", &e.to_string()))?;
        if self.org_name.trim().is_empty() {
            return Err(invalid("org_name", "must not be empty"));
        }
        if self.delivery_retry_base_secs < 1 {
            return Err(invalid("delivery_retry_base_secs", "must be at least 1"));
        }
        if self.referral_retention_days < 0 {
            return Err(invalid("referral_retention_days", "must not be negative"));
        }
        if self.referral_expiry_days < 1 {
            return Err(invalid("referral_expiry_days", "must be at least 1"));
        }
        if self.delivery_concurrency == 0 {
            return Err(invalid("delivery_concurrency", "must be at least 1"));
        }
        Ok(())
    }

    /// `http` in development, `https` otherwise: the scheme of every id this node mints.
    pub fn scheme(&self) -> &'static str {
        if self.dev {
            "http"
        } else {
            "https"
        }
    }

    /// The node's base URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.domain)
    }
}

fn read_toml(path: &Path) -> Result<toml::Table, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File {
        path: path.display().to_string(),
        cause: e.to_string(),
    })?;
    text.parse::<toml::Table>().map_err(|e| ConfigError::Toml {
        path: path.display().to_string(),
        cause: e.message().to_string(),
    })
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Flag => "true or false",
            Kind::Number => "a whole number",
        }
    }
}

/// Environment values are strings; flags and numbers are converted so that serde sees the
/// type the field expects. `None` when the text is not of that kind.
fn env_value(kind: Kind, raw: &str) -> Option<toml::Value> {
    match kind {
        Kind::Text => Some(toml::Value::String(raw.to_string())),
        Kind::Number => raw.trim().parse::<i64>().ok().map(toml::Value::Integer),
        Kind::Flag => match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(toml::Value::Boolean(true)),
            "false" | "0" | "no" | "off" | "" => Some(toml::Value::Boolean(false)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn environment_overrides_defaults() {
        let c = Config::load(
            None,
            env(&[("GOTONG_DOMAIN", "node.example"), ("GOTONG_DEV", "true")]),
        )
        .expect("valid");
        assert_eq!(c.domain, "node.example");
        assert!(c.dev);
        assert_eq!(c.base_url(), "http://node.example");
    }

    #[test]
    fn test_and_bench_variables_are_not_settings() {
        let c = Config::load(
            None,
            env(&[
                ("GOTONG_TEST_POSTGRES_URL", "postgres://x"),
                ("GOTONG_BENCH_PROGRAMS", "5"),
            ]),
        );
        assert!(c.is_ok(), "{c:?}");
    }

    #[test]
    fn unknown_variable_is_named() {
        let err = Config::load(None, env(&[("GOTONG_DOMIAN", "x")])).unwrap_err();
        assert!(err.to_string().contains("GOTONG_DOMIAN"), "{err}");
    }

    #[test]
    fn invalid_value_is_named() {
        let err = Config::load(None, env(&[("GOTONG_LISTEN", "nowhere")])).unwrap_err();
        assert!(err.to_string().contains("GOTONG_LISTEN"), "{err}");
        let err = Config::load(None, env(&[("GOTONG_ORG_HANDLE", "Bad Handle")])).unwrap_err();
        assert!(err.to_string().contains("GOTONG_ORG_HANDLE"), "{err}");
        let err = Config::load(None, env(&[("GOTONG_DEV", "maybe")])).unwrap_err();
        assert!(err.to_string().contains("GOTONG_DEV"), "{err}");
        let err = Config::load(None, env(&[("GOTONG_HTTP_TIMEOUT_SECS", "ten")])).unwrap_err();
        assert!(
            err.to_string().contains("GOTONG_HTTP_TIMEOUT_SECS"),
            "{err}"
        );
    }

    #[test]
    fn referral_expiry_is_read_and_checked() {
        assert_eq!(Config::default().referral_expiry_days, 30);
        let c = Config::load(None, env(&[("GOTONG_REFERRAL_EXPIRY_DAYS", "45")])).expect("ok");
        assert_eq!(c.referral_expiry_days, 45);
        for bad in ["0", "-3", "soon"] {
            let err = Config::load(None, env(&[("GOTONG_REFERRAL_EXPIRY_DAYS", bad)])).unwrap_err();
            assert!(
                err.to_string().contains("GOTONG_REFERRAL_EXPIRY_DAYS"),
                "{err}"
            );
        }
    }

    #[test]
    fn file_is_read_and_unknown_keys_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("gotong.toml");
        std::fs::write(&path, "domain = \"a.example\"\norg_name = \"Red Cross\"\n").expect("w");
        let c = Config::load(Some(&path), env(&[("GOTONG_DOMAIN", "b.example")])).expect("ok");
        assert_eq!(c.domain, "b.example");
        assert_eq!(c.org_name, "Red Cross");
        std::fs::write(&path, "colour = \"red\"\n").expect("w");
        let err = Config::load(Some(&path), env(&[])).unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }
}
