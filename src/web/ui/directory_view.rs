//! View models of the directory page: the search form as the reader filled it, the choices
//! of its filters in the reader's language, and one result card.

use super::directory::Choice;
use super::page::{url_encode, Page, PageResult};
use super::public::label;
use super::templates::{date, iso_time, origin_of, post_title};
use crate::db::{actors::Direction, PostRow};
use crate::domain::follows::FollowState;
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::{languages::localised, vocab};
use crate::federation::FedData;
use crate::web::api::directory::DirectoryParams;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The search form's fields. A field may repeat (`theme=a&theme=b`): all values must match,
/// as in the API's comma-separated lists.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RawForm {
    q: Vec<String>,
    kind: Vec<String>,
    theme: Vec<String>,
    country: Vec<String>,
    population: Vec<String>,
    language: Vec<String>,
    organisation: Vec<String>,
    accepting: Vec<String>,
    page: Vec<String>,
}

/// What the reader asked for; empty strings are filters not set.
#[derive(Default)]
pub struct SearchForm {
    pub q: String,
    pub kind: String,
    pub theme: String,
    pub country: String,
    pub population: String,
    pub language: String,
    pub organisation: String,
    pub accepting: bool,
    page: i64,
}

fn joined(values: &[String], separator: &str) -> String {
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

impl<'de> Deserialize<'de> for SearchForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawForm::deserialize(d)?;
        Ok(SearchForm {
            q: joined(&raw.q, " "),
            kind: joined(&raw.kind, ","),
            theme: joined(&raw.theme, ","),
            country: joined(&raw.country, ","),
            population: joined(&raw.population, ","),
            language: joined(&raw.language, ","),
            organisation: raw
                .organisation
                .iter()
                .find(|o| !o.trim().is_empty())
                .map_or(String::new(), |o| o.trim().to_string()),
            accepting: raw.accepting.iter().any(|v| !v.is_empty() && v != "false"),
            page: raw.page.first().and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    }
}

fn some(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

impl SearchForm {
    /// The page asked for, from 1 (deep pages are capped: nobody reads 500 pages of results).
    pub fn page_number(&self) -> i64 {
        self.page.clamp(1, 500)
    }

    /// The API's parameters for one page of results.
    pub fn params(&self, limit: i64, offset: i64) -> DirectoryParams {
        DirectoryParams {
            q: some(&self.q),
            kind: some(&self.kind),
            theme: some(&self.theme),
            country: some(&self.country),
            population: some(&self.population),
            language: some(&self.language),
            tag: None,
            accepting: self.accepting.then_some(true),
            organisation: some(&self.organisation),
            limit: Some(limit),
            offset: Some(offset),
        }
    }

    /// The filters set, as query pairs (for page links, exports and the feed).
    pub fn filter_query(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = [
            ("q", &self.q),
            ("kind", &self.kind),
            ("theme", &self.theme),
            ("population", &self.population),
            ("country", &self.country),
            ("language", &self.language),
            ("organisation", &self.organisation),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
        if self.accepting {
            pairs.push(("accepting".into(), "true".into()));
        }
        pairs
    }
}

fn chosen(list: &str, code: &str) -> bool {
    list.split(',').any(|v| v == code)
}

/// The choices of the kind, theme, population and country filters, labelled in the reader's
/// language.
pub fn filter_options(
    page: &Page,
    form: &SearchForm,
) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>, Vec<Choice>) {
    let kinds = [
        ObjectKind::Program,
        ObjectKind::Offer,
        ObjectKind::Practice,
        ObjectKind::Advocacy,
    ]
    .iter()
    .map(|k| {
        let code = k.as_str();
        let text = page.t(&format!("kind-{code}"));
        (code.to_string(), text, chosen(&form.kind, code))
    })
    .collect();
    let vocabulary = |name: &str, list: &[(&str, &str)], current: &str| -> Vec<Choice> {
        let mut choices: Vec<Choice> = list
            .iter()
            .map(|(code, english)| {
                let text = label(page, name, code, Some(english));
                (code.to_string(), text, chosen(current, code))
            })
            .collect();
        choices.sort_by(|a, b| a.1.cmp(&b.1));
        choices
    };
    let countries = vocab::COUNTRIES
        .iter()
        .map(|(code, name)| {
            (
                code.to_string(),
                name.to_string(),
                chosen(&form.country, code),
            )
        })
        .collect();
    (
        kinds,
        vocabulary("theme", vocab::THEMES, &form.theme),
        vocabulary("population", vocab::POPULATIONS, &form.population),
        countries,
    )
}

/// Organisations whose entries this node holds: its own and those they follow.
pub async fn organisation_options(data: &FedData, form: &SearchForm) -> PageResult<Vec<Choice>> {
    let mut known: BTreeMap<String, String> = BTreeMap::new();
    for org in data.store.list_organisations().await? {
        known.insert(data.urls.actor(&org.handle).to_string(), org.name.clone());
        for follow in data
            .store
            .list_follows(Direction::Following, org.id)
            .await?
        {
            if follow.state != FollowState::Accepted || known.contains_key(&follow.actor_ap_id) {
                continue;
            }
            let name = match data
                .store
                .remote_actor_by_ap_id(&follow.actor_ap_id)
                .await?
            {
                Some(actor) if !actor.name.trim().is_empty() => actor.name,
                _ => format!("{}@{}", follow.actor_username, follow.actor_domain),
            };
            known.insert(follow.actor_ap_id.clone(), name);
        }
    }
    if !form.organisation.is_empty() && !known.contains_key(&form.organisation) {
        known.insert(form.organisation.clone(), form.organisation.clone());
    }
    let mut choices: Vec<Choice> = known
        .into_iter()
        .map(|(url, name)| {
            let selected = url == form.organisation;
            (url, name, selected)
        })
        .collect();
    choices.sort_by_key(|c| c.1.to_lowercase());
    Ok(choices)
}

/// One search result.
pub struct ResultCard {
    /// The entry's page: the object's own URL for local entries, `/remote` for copies.
    pub url: String,
    pub title: String,
    pub summary: String,
    pub kind: String,
    pub kind_label: String,
    pub organisation_name: String,
    pub organisation_url: String,
    /// The node a remote entry came from.
    pub origin: Option<String>,
    pub themes: String,
    pub accepting: bool,
    pub published_iso: String,
    pub published_date: String,
    /// For caseworkers: where to start a referral to this program or offer.
    pub refer_url: Option<String>,
}

impl ResultCard {
    pub fn of(page: &Page, post: &PostRow, names: &BTreeMap<String, String>) -> ResultCard {
        let shown = localised(post, page.lang_code());
        let local = post.organisation_id.is_some();
        let details = ObjectKind::parse(&post.kind).ok().and_then(|kind| {
            let json = serde_json::from_str(post.data.as_deref()?).ok()?;
            Details::from_json(kind, json).ok()
        });
        let accepting = matches!(&details, Some(Details::Program(p)) if p.accepting_referrals);
        let themes = details
            .as_ref()
            .map(|d| {
                d.themes_and_countries()
                    .0
                    .iter()
                    .map(|c| label(page, "theme", c, vocab::theme_label(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let referable = accepting || post.kind == ObjectKind::Offer.as_str();
        ResultCard {
            url: if local {
                post.ap_id.clone()
            } else {
                format!("/remote?id={}", url_encode(&post.ap_id))
            },
            title: post_title(&shown),
            summary: shown.summary.clone(),
            kind: post.kind.clone(),
            kind_label: page.t(&format!("kind-{}", post.kind)),
            organisation_name: names
                .get(&post.author_ap_id)
                .filter(|n| !n.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| post.author_ap_id.clone()),
            organisation_url: post.author_ap_id.clone(),
            origin: (!local).then(|| origin_of(&post.ap_id)).flatten(),
            themes,
            accepting,
            published_iso: iso_time(post.published_at),
            published_date: date(post.published_at),
            refer_url: (referable && page.can("caseworker"))
                .then(|| format!("/staff/referrals/new?to={}", url_encode(&post.ap_id))),
        }
    }
}
