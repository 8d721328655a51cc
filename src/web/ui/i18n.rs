//! Interface text in the reader's language: Fluent catalogues for English, Bahasa Indonesia and
//! Thai, chosen by a cookie the language switch sets, else by `Accept-Language`.

use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// The interface languages: code, and the language's own name for the switch.
pub const LANGUAGES: [(&str, &str); 3] =
    [("en", "English"), ("id", "Bahasa Indonesia"), ("th", "ไทย")];

/// One catalogue file per area of the interface, the same files for every language.
/// English is complete; other languages fall back to English message by message.
macro_rules! catalogue {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/common.ftl")),
            include_str!(concat!("../locales/", $lang, "/directory.ftl")),
            include_str!(concat!("../locales/", $lang, "/staff.ftl")),
            include_str!(concat!("../locales/", $lang, "/vocab.ftl")),
            include_str!(concat!("../locales/", $lang, "/referrals.ftl")),
            include_str!(concat!("../locales/", $lang, "/admin.ftl")),
            include_str!(concat!("../locales/", $lang, "/moderation.ftl")),
        ]
    };
}

pub struct Catalog {
    /// In the order of `LANGUAGES`.
    bundles: Vec<FluentBundle<FluentResource>>,
}

impl Catalog {
    /// Parses every catalogue; a syntax error in a shipped file is a startup error.
    pub fn load() -> anyhow::Result<Catalog> {
        let sources = [catalogue!("en"), catalogue!("id"), catalogue!("th")];
        let mut bundles = Vec::new();
        for ((code, _), files) in LANGUAGES.iter().zip(sources) {
            let lang: LanguageIdentifier = code.parse()?;
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            // Unicode isolation marks would end up inside attributes and URLs.
            bundle.set_use_isolating(false);
            for text in files {
                let resource = FluentResource::try_new(text.to_string())
                    .map_err(|(_, errors)| anyhow::anyhow!("{code} catalogue: {errors:?}"))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| anyhow::anyhow!("{code} catalogue: {errors:?}"))?;
            }
            bundles.push(bundle);
        }
        Ok(Catalog { bundles })
    }

    /// The message `key` in language `lang` (an index into `LANGUAGES`), else in English,
    /// else the key itself so a missing message is visible rather than blank.
    pub fn message(&self, lang: usize, key: &str, args: Option<&FluentArgs>) -> String {
        for bundle in [self.bundles.get(lang), self.bundles.first()]
            .into_iter()
            .flatten()
        {
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = vec![];
                return bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned();
            }
        }
        key.to_string()
    }

    /// Whether `lang` has its own translation of `key` (for the completeness test).
    pub fn has(&self, lang: usize, key: &str) -> bool {
        self.bundles
            .get(lang)
            .is_some_and(|b| b.get_message(key).is_some())
    }
}

/// The index in `LANGUAGES` of a language code, if we have it.
pub fn language_index(code: &str) -> Option<usize> {
    let primary = code.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    LANGUAGES.iter().position(|(c, _)| *c == primary)
}

/// The best interface language for an `Accept-Language` header (RFC 9110 §12.5.4):
/// the highest-weighted language we have, English when none.
pub fn negotiate(accept_language: &str) -> usize {
    let mut best: Option<(f32, usize)> = None;
    for (order, part) in accept_language.split(',').enumerate() {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let weight = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let Some(index) = language_index(tag) else {
            continue;
        };
        // Earlier entries win ties, as the header lists preferences in order.
        let score = weight - order as f32 * 1e-4;
        if weight > 0.0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, index));
        }
    }
    best.map_or(0, |(_, index)| index)
}

/// Every message key in the English catalogues.
pub fn english_keys() -> Vec<String> {
    catalogue!("en")
        .iter()
        .flat_map(|text| {
            text.lines()
                .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
                .filter_map(|line| line.split_once('=').map(|(k, _)| k.trim().to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_english_message_is_translated() {
        let catalog = Catalog::load().expect("catalogues parse");
        let keys = english_keys();
        assert!(keys.len() > 20, "found only {} keys", keys.len());
        for (index, (code, _)) in LANGUAGES.iter().enumerate() {
            let missing: Vec<_> = keys.iter().filter(|k| !catalog.has(index, k)).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
        }
    }

    #[test]
    fn accept_language_picks_the_best_language_we_have() {
        assert_eq!(negotiate("id-ID,id;q=0.9,en;q=0.8"), 1);
        assert_eq!(negotiate("fr-FR, th;q=0.5, en;q=0.4"), 2);
        assert_eq!(negotiate("de, fr"), 0);
        assert_eq!(negotiate("en;q=0.2, th;q=0.9"), 2);
        assert_eq!(negotiate("th;q=0, id"), 1);
        assert_eq!(negotiate(""), 0);
    }

    #[test]
    fn messages_fall_back_to_english_then_to_the_key() {
        let catalog = Catalog::load().expect("catalogues parse");
        assert_eq!(catalog.message(1, "nav-directory", None), "Direktori");
        assert_eq!(catalog.message(9, "nav-directory", None), "Directory");
        assert_eq!(catalog.message(0, "no-such-key", None), "no-such-key");
    }
}
