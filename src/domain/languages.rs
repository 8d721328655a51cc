//! Content in several languages: the `nameMap`, `summaryMap` and `contentMap` of remote
//! objects, kept sanitised beside the default text, and the choice of the version a reader
//! understands.

use super::text::{html_text, sanitize_html};
use crate::db::PostRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most languages kept per field; an object listing more is keeping the rest to itself.
const MAX_LANGUAGES: usize = 12;

/// Language tag → text, per field. Names and summaries are plain text, content is sanitised
/// HTML. Tags are lower-cased.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LanguageMaps {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub name: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub summary: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub content: BTreeMap<String, String>,
}

/// A BCP 47 tag as far as we need it: letters, digits and hyphens, at most 35 characters.
fn valid_tag(tag: &str) -> bool {
    !tag.is_empty() && tag.len() <= 35 && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn read_map(value: Option<&Value>, clean: fn(&str) -> String) -> BTreeMap<String, String> {
    let Some(Value::Object(map)) = value else {
        return BTreeMap::new();
    };
    map.iter()
        .filter(|(tag, _)| valid_tag(tag))
        .filter_map(|(tag, text)| Some((tag.to_ascii_lowercase(), clean(text.as_str()?))))
        .filter(|(_, text)| !text.trim().is_empty())
        .take(MAX_LANGUAGES)
        .collect()
}

/// The text of `map` in `lang`: the exact tag, else the same primary language (`th-TH` for
/// `th`, or `th` for `th-TH`).
fn pick<'a>(map: &'a BTreeMap<String, String>, lang: &str) -> Option<&'a str> {
    let lang = lang.to_ascii_lowercase();
    if let Some(text) = map.get(&lang) {
        return Some(text);
    }
    let primary = lang.split('-').next().unwrap_or_default();
    map.iter()
        .find(|(tag, _)| tag.split('-').next() == Some(primary))
        .map(|(_, text)| text.as_str())
}

impl LanguageMaps {
    /// Reads an object's maps (any may be absent). `None` when no map holds any language.
    pub fn from_object(
        name: Option<&Value>,
        summary: Option<&Value>,
        content: Option<&Value>,
    ) -> Option<LanguageMaps> {
        let maps = LanguageMaps {
            name: read_map(name, html_text),
            summary: read_map(summary, html_text),
            content: read_map(content, sanitize_html),
        };
        let empty = maps.name.is_empty() && maps.summary.is_empty() && maps.content.is_empty();
        (!empty).then_some(maps)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The stored maps; `None` when absent or unreadable.
    pub fn parse(json: Option<&str>) -> Option<LanguageMaps> {
        serde_json::from_str(json?).ok()
    }

    /// Content for an object that has only a map: English, else the first language.
    pub fn fallback_content(&self) -> Option<&str> {
        pick(&self.content, "en").or_else(|| self.content.values().next().map(String::as_str))
    }

    /// Every language's words, for search.
    pub fn search_text(&self) -> String {
        let mut words: Vec<String> = self.name.values().cloned().collect();
        words.extend(self.summary.values().cloned());
        words.extend(self.content.values().map(|c| html_text(c)));
        words.join(" ")
    }
}

/// A copy of the post with its title, summary and content in `lang` where its maps hold that
/// language; otherwise as stored. The content stays safe HTML (local text is escaped when
/// written, remote HTML sanitised when received).
pub fn localised(post: &PostRow, lang: &str) -> PostRow {
    let mut shown = post.clone();
    if let Some(maps) = LanguageMaps::parse(post.language_maps.as_deref()) {
        for (map, field) in [
            (&maps.name, &mut shown.name),
            (&maps.summary, &mut shown.summary),
            (&maps.content, &mut shown.content),
        ] {
            if let Some(text) = pick(map, lang) {
                *field = text.to_string();
            }
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_are_cleaned_and_the_readers_language_chosen() {
        let content = json!({
            "en": "<p>Open<script>x()</script></p>",
            "th-TH": "<p onclick=\"x()\">เปิด</p>",
            "bad tag": "ignored",
            "id": 3
        });
        let name = json!({ "en": "<b>Clinic</b>" });
        let maps = LanguageMaps::from_object(Some(&name), None, Some(&content)).expect("maps");
        assert_eq!(maps.content.len(), 2, "{maps:?}");
        assert_eq!(maps.name["en"], "Clinic");
        assert!(!maps.to_json().contains("script") && !maps.to_json().contains("onclick"));
        assert_eq!(pick(&maps.content, "th"), Some("<p>เปิด</p>"));
        assert_eq!(pick(&maps.content, "TH-th"), Some("<p>เปิด</p>"));
        assert_eq!(pick(&maps.content, "id"), None);
        assert_eq!(maps.fallback_content(), Some("<p>Open</p>"));
        assert_eq!(
            LanguageMaps::parse(Some(&maps.to_json())),
            Some(maps.clone())
        );
        assert!(LanguageMaps::from_object(None, Some(&json!("text")), None).is_none());
    }
}
