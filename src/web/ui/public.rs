//! Public pages: the node's front page, an organisation's profile, one object's page. The
//! profile and object pages answer at the same URLs as the ActivityPub actor and object, chosen
//! by content negotiation in `web::activitypub`.

use super::page::{Page, PageResult};
use super::templates::{date, iso_time, origin_of, post_title, Card};
use crate::db::{OrganisationRow, PostRow};
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::vocab;
use crate::federation::FedData;
use askama::Template;

pub struct OrgView {
    pub url: String,
    pub name: String,
    pub address: String,
    pub summary_html: String,
}

impl OrgView {
    fn of(data: &FedData, org: &OrganisationRow) -> OrgView {
        OrgView {
            url: data.urls.actor(&org.handle).to_string(),
            name: org.name.clone(),
            address: format!("@{}@{}", org.handle, data.config.domain),
            // Produced by `text_to_html` from plain text, so already escaped.
            summary_html: org.summary.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    page: &'a Page,
    organisations: Vec<OrgView>,
}

pub async fn home(page: Page, data: FedData) -> PageResult {
    let organisations = data
        .store
        .list_organisations()
        .await?
        .iter()
        .map(|o| OrgView::of(&data, o))
        .collect();
    Ok(page.render(&HomePage {
        page: &page,
        organisations,
    }))
}

pub struct Section {
    pub kind: &'static str,
    pub heading: String,
    pub items: Vec<Card>,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage<'a> {
    page: &'a Page,
    org: OrgView,
    sections: Vec<Section>,
    feed_rss: String,
    feed_atom: String,
}

/// Kinds in the order a visitor looks for them: what the organisation offers first.
const PROFILE_KINDS: [ObjectKind; 5] = [
    ObjectKind::Program,
    ObjectKind::Offer,
    ObjectKind::Practice,
    ObjectKind::Advocacy,
    ObjectKind::Update,
];

pub async fn organisation(page: Page, data: &FedData, org: &OrganisationRow) -> PageResult {
    let now = crate::db::now_ms();
    let mut sections = Vec::new();
    for kind in PROFILE_KINDS {
        let posts = data
            .store
            .organisation_posts(org.id, Some(kind.as_str()), true, None, 20)
            .await?;
        let items = posts
            .iter()
            // Offers past their expiry are no longer open.
            .filter(|p| p.expires_at.is_none_or(|at| at > now))
            .map(|p| Card::of_post(p, p.ap_id.clone(), None))
            .collect();
        sections.push(Section {
            kind: kind.as_str(),
            heading: page.t(&format!("kind-{}-plural", kind.as_str())),
            items,
        });
    }
    let base = data.urls.base();
    Ok(page.render(&OrganisationPage {
        page: &page,
        org: OrgView::of(data, org),
        sections,
        feed_rss: format!("{base}/o/{}/feed.rss", org.handle),
        feed_atom: format!("{base}/o/{}/feed.atom", org.handle),
    }))
}

pub struct ObjectView {
    pub url: String,
    pub title: String,
    pub summary: String,
    pub content_html: String,
    pub published_iso: String,
    pub published_date: String,
}

impl ObjectView {
    /// Local content is produced by `text_to_html` and remote content is sanitised when
    /// received, so `content` is safe to insert as HTML.
    pub fn of(post: &PostRow) -> ObjectView {
        ObjectView {
            url: post.ap_id.clone(),
            title: post_title(post),
            summary: post.summary.clone(),
            content_html: post.content.clone(),
            published_iso: iso_time(post.published_at),
            published_date: date(post.published_at),
        }
    }
}

#[derive(Template)]
#[template(path = "object.html")]
pub struct ObjectPage<'a> {
    pub page: &'a Page,
    pub object: ObjectView,
    pub kind_label: String,
    pub author_name: String,
    pub author_url: String,
    /// The node a remote object came from.
    pub origin: Option<String>,
    pub facts: Vec<(String, String)>,
    /// "Refer a person", for caseworkers on programs taking referrals and open offers.
    pub refer_url: Option<String>,
}

pub fn object(page: Page, data: &FedData, org: &OrganisationRow, post: &PostRow) -> PageResult {
    let template = object_page(
        &page,
        post,
        &org.name,
        data.urls.actor(&org.handle).as_str(),
        None,
    );
    Ok(page.render(&template))
}

/// The page of any object, local or remote.
pub fn object_page<'a>(
    page: &'a Page,
    post: &PostRow,
    author_name: &str,
    author_url: &str,
    origin: Option<String>,
) -> ObjectPage<'a> {
    let shown = crate::domain::languages::localised(post, page.lang_code());
    ObjectPage {
        page,
        object: ObjectView::of(&shown),
        kind_label: page.t(&format!("kind-{}", post.kind)),
        author_name: author_name.to_string(),
        author_url: author_url.to_string(),
        origin: origin.or_else(|| {
            post.organisation_id
                .is_none()
                .then(|| origin_of(&post.ap_id))
                .flatten()
        }),
        facts: facts(page, post),
        refer_url: super::referrals::refer_link(page, post),
    }
}

/// The structured fields worth showing a reader, labelled in their language.
pub fn facts(page: &Page, post: &PostRow) -> Vec<(String, String)> {
    let Some(details) = ObjectKind::parse(&post.kind).ok().and_then(|kind| {
        let json = serde_json::from_str(post.data.as_deref()?).ok()?;
        Details::from_json(kind, json).ok()
    }) else {
        return vec![];
    };
    let mut facts = Vec::new();
    let mut push = |key: &str, values: Vec<String>| {
        if !values.is_empty() {
            facts.push((page.t(key), values.join(", ")));
        }
    };
    let (themes, countries) = details.themes_and_countries();
    push(
        "field-themes",
        themes
            .iter()
            .map(|c| label(page, "theme", c, vocab::theme_label(c)))
            .collect(),
    );
    push(
        "field-countries",
        countries
            .iter()
            .map(|c| vocab::country_name(c).unwrap_or(c).to_string())
            .collect(),
    );
    if let Details::Program(p) = &details {
        push(
            "field-populations",
            p.populations
                .iter()
                .map(|c| label(page, "population", c, vocab::population_label(c)))
                .collect(),
        );
        push("field-languages", p.languages.clone());
        push("field-areas", p.areas.clone());
        push(
            "field-eligibility",
            vec![p.eligibility.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
        );
        push(
            "field-how-to-refer",
            vec![p.how_to_refer.clone()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
        );
        let accepting = if p.accepting_referrals { "yes" } else { "no" };
        push("field-accepting", vec![page.t(accepting)]);
    }
    facts
}

/// A vocabulary label in the reader's language: the catalogue's `{vocab}-{code}` message when
/// there is one, else the shipped English label, else the code.
pub fn label(page: &Page, vocab: &str, code: &str, english: Option<&str>) -> String {
    let key = format!("{vocab}-{code}");
    let text = page.t(&key);
    if text != key {
        return text;
    }
    english.unwrap_or(code).to_string()
}
