//! Field values that must come back exactly as they were sent: addressing (`to`, `cc`) and
//! timestamps. Servers differ in form (a single address as a string or a list; `as:Public` or
//! the full IRI; `+00:00` or `Z`); keeping the form keeps a re-serialised payload identical.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

/// `to` or `cc`: the addresses as sent, and whether they came as one string or a list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Addresses {
    items: Vec<String>,
    single: bool,
}

impl Addresses {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Our own addressing: `None` when there is nobody, so the field is left out.
    pub fn of(urls: Vec<Url>) -> Option<Addresses> {
        (!urls.is_empty()).then(|| Addresses {
            items: urls.into_iter().map(String::from).collect(),
            single: false,
        })
    }
}

/// Addresses of an optional field, for iterating without caring whether it was present.
pub fn all(field: &Option<Addresses>) -> impl Iterator<Item = &str> {
    field.iter().flat_map(Addresses::iter)
}

impl Serialize for Addresses {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.single, self.items.as_slice()) {
            (true, [one]) => s.serialize_str(one),
            _ => self.items.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Addresses {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            One(String),
            Many(Vec<String>),
        }
        Ok(match Form::deserialize(d)? {
            Form::One(item) => Addresses {
                items: vec![item],
                single: true,
            },
            Form::Many(items) => Addresses {
                items,
                single: false,
            },
        })
    }
}

/// An `xsd:dateTime` kept in the lexical form it arrived in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    pub fn datetime(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.0)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    pub fn millis(&self) -> Option<i64> {
        self.datetime().map(|t| t.timestamp_millis())
    }

    pub fn from_millis(ms: i64) -> Timestamp {
        Timestamp::from(DateTime::from_timestamp_millis(ms).unwrap_or_default())
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_survive_a_round_trip() {
        for json in [
            r#""https://a.example/x""#,
            r#"["https://a.example/x"]"#,
            "[]",
            r#"["as:Public"]"#,
        ] {
            let parsed: Addresses = serde_json::from_str(json).expect("parse");
            assert_eq!(serde_json::to_string(&parsed).expect("ser"), json);
        }
        let t: Timestamp =
            serde_json::from_str(r#""2023-04-02T09:14:27.385612+00:00""#).expect("t");
        assert_eq!(t.millis(), Some(1_680_426_867_385));
        assert_eq!(
            serde_json::to_string(&t).expect("ser"),
            r#""2023-04-02T09:14:27.385612+00:00""#
        );
    }
}
