//! Every URL this node mints, and the way back from a URL to what it names.

use crate::config::Config;
use crate::domain::objects::ObjectKind;
use url::Url;

#[derive(Clone, Debug)]
pub struct Urls {
    base: String,
}

impl Urls {
    pub fn new(config: &Config) -> Urls {
        Urls {
            base: config.base_url(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> Url {
        // The base is validated at start-up and paths are ours, so this cannot fail; a
        // fallback keeps the function total without a panic.
        Url::parse(&format!("{}{}", self.base, path))
            .unwrap_or_else(|_| Url::parse("http://invalid.invalid/").expect("static URL"))
    }

    pub fn actor(&self, handle: &str) -> Url {
        self.url(&format!("/o/{handle}"))
    }
    pub fn key_id(&self, handle: &str) -> String {
        format!("{}#main-key", self.actor(handle))
    }
    pub fn inbox(&self, handle: &str) -> Url {
        self.url(&format!("/o/{handle}/inbox"))
    }
    pub fn outbox(&self, handle: &str) -> Url {
        self.url(&format!("/o/{handle}/outbox"))
    }
    pub fn outbox_page(&self, handle: &str, before: Option<i64>) -> Url {
        match before {
            Some(id) => self.url(&format!("/o/{handle}/outbox?page=true&before={id}")),
            None => self.url(&format!("/o/{handle}/outbox?page=true")),
        }
    }
    pub fn followers(&self, handle: &str) -> Url {
        self.url(&format!("/o/{handle}/followers"))
    }
    pub fn following(&self, handle: &str) -> Url {
        self.url(&format!("/o/{handle}/following"))
    }
    pub fn shared_inbox(&self) -> Url {
        self.url("/inbox")
    }
    /// A collection of the organisation's current directory objects, for new followers.
    pub fn directory(&self, handle: &str) -> Url {
        self.url(&format!("/o/{handle}/directory"))
    }
    pub fn directory_page(&self, handle: &str, before: Option<i64>) -> Url {
        match before {
            Some(id) => self.url(&format!("/o/{handle}/directory?page=true&before={id}")),
            None => self.url(&format!("/o/{handle}/directory?page=true")),
        }
    }
    pub fn object(&self, kind: ObjectKind, uuid: &str) -> Url {
        self.url(&format!("/{}/{uuid}", kind.plural()))
    }
    pub fn new_object(&self, kind: ObjectKind) -> Url {
        self.object(kind, &uuid::Uuid::new_v4().to_string())
    }
    pub fn new_referral(&self) -> Url {
        self.url(&format!("/referrals/{}", uuid::Uuid::new_v4()))
    }
    pub fn referral(&self, uuid: &str) -> Url {
        self.url(&format!("/referrals/{uuid}"))
    }
    /// Where a hashtag leads: the directory filtered by it.
    pub fn tag(&self, tag: &str) -> Url {
        self.url(&format!("/api/v1/directory?tag={tag}"))
    }
    pub fn new_activity(&self) -> Url {
        self.url(&format!("/activities/{}", uuid::Uuid::new_v4()))
    }
    pub fn activity(&self, uuid: &str) -> Url {
        self.url(&format!("/activities/{uuid}"))
    }

    /// The handle of a local organisation's actor URL, if `url` is one.
    pub fn handle_of_actor<'a>(&self, url: &'a str) -> Option<&'a str> {
        let rest = url.strip_prefix(&self.base)?.strip_prefix("/o/")?;
        (!rest.is_empty() && !rest.contains('/')).then_some(rest)
    }

    /// The short id of a local object URL, if `url` is one.
    pub fn uuid_of_object<'a>(&self, url: &'a str) -> Option<&'a str> {
        let path = url.strip_prefix(&self.base)?.strip_prefix('/')?;
        let (segment, uuid) = path.split_once('/')?;
        (ObjectKind::all().any(|k| k.plural() == segment) && !uuid.contains('/')).then_some(uuid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_round_trip() {
        let config = Config {
            domain: "node.example:8080".into(),
            dev: true,
            ..Config::default()
        };
        let urls = Urls::new(&config);
        let actor = urls.actor("prc");
        assert_eq!(actor.as_str(), "http://node.example:8080/o/prc");
        assert_eq!(urls.handle_of_actor(actor.as_str()), Some("prc"));
        assert_eq!(
            urls.handle_of_actor("http://node.example:8080/o/prc/inbox"),
            None
        );
        assert_eq!(urls.handle_of_actor("http://other.example/o/prc"), None);
        let program = urls.object(ObjectKind::Program, "abc");
        assert_eq!(program.as_str(), "http://node.example:8080/programs/abc");
        assert_eq!(urls.uuid_of_object(program.as_str()), Some("abc"));
        assert_eq!(urls.uuid_of_object("http://node.example:8080/o/prc"), None);
    }
}
