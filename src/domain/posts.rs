//! Publishing: drafts of every kind (updates, programs, practices, advocacy notes, offers),
//! visibility, and the rules for creating, editing and deleting them.

use super::fields::{FieldError, FieldErrors};
use super::objects::{Details, ObjectKind};
pub use super::text::{escape, html_text, sanitize_html, text_to_html};
use super::{accounts::Role, accounts::Staff, vocab, DomainError, DomainResult};
use crate::db::{NewPost, PostFields, PostRow, Store};

pub type Post = PostRow;

/// Longest body text, in characters (updates are kept short like a news item).
pub const MAX_UPDATE_CHARS: usize = 5000;
pub const MAX_BODY_CHARS: usize = 50_000;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 1000;

/// Who may see a post: everyone, or only the organisation's accepted followers.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    Default,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    #[default]
    Public,
    Followers,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Followers => "followers",
        }
    }

    pub fn parse(s: &str) -> DomainResult<Visibility> {
        match s {
            "public" => Ok(Visibility::Public),
            "followers" => Ok(Visibility::Followers),
            other => Err(DomainError::Invalid(format!(
                "unknown visibility {other:?}: expected public or followers"
            ))),
        }
    }
}

/// What staff write: common fields and the kind's own.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Title; required for everything but updates.
    pub name: String,
    /// A sentence or two, plain text.
    pub summary: String,
    /// The body, plain text (blank lines make paragraphs).
    pub text: String,
    pub tags: Vec<String>,
    /// `None` keeps what the post has (public for a new post): an edit that does not mention
    /// visibility must never widen who sees the post.
    pub visibility: Option<Visibility>,
    pub details: Details,
}

impl Draft {
    /// Every field error at once, so a form can show each next to its field.
    fn validate(&self) -> DomainResult<()> {
        let mut errors = FieldErrors::default();
        let kind = self.details.kind();
        if kind == ObjectKind::Update {
            if self.text.trim().is_empty() {
                errors.push(FieldError::required("text", "text must not be empty"));
            }
            errors.check(FieldError::check_length(
                "text",
                &self.text,
                MAX_UPDATE_CHARS,
            ));
        } else {
            if self.name.trim().is_empty() {
                errors.push(FieldError::required("name", "name must not be empty"));
            }
            errors.check(FieldError::check_length("text", &self.text, MAX_BODY_CHARS));
        }
        errors.check(FieldError::check_length("name", &self.name, MAX_NAME_CHARS));
        errors.check(FieldError::check_length(
            "summary",
            &self.summary,
            MAX_SUMMARY_CHARS,
        ));
        errors.check(vocab::check_tags(&self.tags));
        errors.absorb(self.details.validate())?;
        errors.finish()
    }
}

/// A draft prepared for storage; `fields()` borrows from it.
pub(super) struct Prepared {
    kind: ObjectKind,
    visibility: Visibility,
    name: String,
    summary: String,
    content: String,
    source: Option<String>,
    data: Option<String>,
    tags: String,
    search_text: String,
    expires_at: Option<i64>,
    facets: Vec<(&'static str, String)>,
    language_maps: Option<String>,
}

impl Prepared {
    pub(super) fn new(
        name: &str,
        summary: &str,
        content: String,
        source: Option<String>,
        tags: &[String],
        visibility: Visibility,
        details: &Details,
    ) -> Prepared {
        let mut facets = details.facets();
        facets.extend(tags.iter().map(|t| ("tag", t.to_lowercase())));
        let search_text = [html_text(&content), tags.join(" "), details.search_terms()].join(" ");
        Prepared {
            kind: details.kind(),
            visibility,
            name: name.trim().to_string(),
            summary: summary.trim().to_string(),
            content,
            source,
            data: details.to_json().map(|v| v.to_string()),
            tags: tags.join(" "),
            search_text,
            expires_at: details.expires_at(),
            facets,
            language_maps: None,
        }
    }

    /// Keeps a remote object's other languages, and makes their words searchable.
    pub(super) fn with_languages(mut self, maps: Option<&super::languages::LanguageMaps>) -> Self {
        if let Some(maps) = maps {
            self.search_text.push(' ');
            self.search_text.push_str(&maps.search_text());
            self.language_maps = Some(maps.to_json());
        }
        self
    }

    fn from_draft(draft: &Draft, visibility: Visibility) -> Prepared {
        Prepared::new(
            &draft.name,
            &draft.summary,
            text_to_html(&draft.text),
            Some(draft.text.trim().to_string()),
            &draft.tags,
            visibility,
            &draft.details,
        )
    }

    pub(super) fn fields(&self) -> PostFields<'_> {
        PostFields {
            kind: self.kind.as_str(),
            visibility: self.visibility.as_str(),
            name: &self.name,
            summary: &self.summary,
            content: &self.content,
            source: self.source.as_deref(),
            data: self.data.as_deref(),
            tags: &self.tags,
            search_text: &self.search_text,
            expires_at: self.expires_at,
            facets: &self.facets,
            language_maps: self.language_maps.as_deref(),
        }
    }
}

/// An offer must name one of the organisation's own programs.
async fn check_references(store: &dyn Store, staff: &Staff, details: &Details) -> DomainResult<()> {
    if let Details::Offer(offer) = details {
        match store.post_by_ap_id(&offer.program).await? {
            Some(p)
                if p.kind == ObjectKind::Program.as_str()
                    && p.organisation_id == Some(staff.organisation_id)
                    && p.deleted_at.is_none() => {}
            _ => {
                return Err(FieldError::new(
                    "program",
                    "not_own_program",
                    "offer: program must be the id of one of your organisation's programs",
                )
                .into())
            }
        }
    }
    Ok(())
}

/// Stores a new post written by `staff` for their organisation under the id `ap_id`.
pub async fn create(
    store: &dyn Store,
    staff: &Staff,
    author_ap_id: &str,
    ap_id: &str,
    draft: &Draft,
) -> DomainResult<Post> {
    staff.require(&[Role::Editor])?;
    draft.validate()?;
    check_references(store, staff, &draft.details).await?;
    let prepared = Prepared::from_draft(draft, draft.visibility.unwrap_or_default());
    Ok(store
        .insert_post(NewPost {
            ap_id,
            organisation_id: Some(staff.organisation_id),
            author_ap_id,
            published_at: crate::db::now_ms(),
            updated_at: None,
            fields: prepared.fields(),
        })
        .await?)
}

/// Stores many drafts of a local organisation at once, each under its id (bulk imports and
/// benchmarks). Every draft is validated first; nothing is stored if one is invalid.
pub async fn import(
    store: &dyn Store,
    organisation_id: i64,
    author_ap_id: &str,
    items: &[(String, Draft)],
) -> DomainResult<usize> {
    for (_, draft) in items {
        draft.validate()?;
    }
    let prepared: Vec<Prepared> = items
        .iter()
        .map(|(_, d)| Prepared::from_draft(d, d.visibility.unwrap_or_default()))
        .collect();
    let now = crate::db::now_ms();
    let posts: Vec<NewPost> = items
        .iter()
        .zip(&prepared)
        .map(|((ap_id, _), p)| NewPost {
            ap_id,
            organisation_id: Some(organisation_id),
            author_ap_id,
            published_at: now,
            updated_at: None,
            fields: p.fields(),
        })
        .collect();
    Ok(store.insert_posts(&posts).await?)
}

/// The organisation's own, not deleted post of this kind and id, or `NotFound`.
pub async fn own_post(
    store: &dyn Store,
    staff: &Staff,
    kind: ObjectKind,
    ap_id: &str,
) -> DomainResult<Post> {
    match store.post_by_ap_id(ap_id).await? {
        Some(p)
            if p.organisation_id == Some(staff.organisation_id)
                && p.deleted_at.is_none()
                && p.kind == kind.as_str() =>
        {
            Ok(p)
        }
        _ => Err(DomainError::NotFound("post")),
    }
}

/// Replaces a post's content with `draft` (same kind).
pub async fn edit(
    store: &dyn Store,
    staff: &Staff,
    ap_id: &str,
    draft: &Draft,
) -> DomainResult<Post> {
    staff.require(&[Role::Editor])?;
    draft.validate()?;
    let post = own_post(store, staff, draft.details.kind(), ap_id).await?;
    check_references(store, staff, &draft.details).await?;
    let visibility = match draft.visibility {
        Some(v) => v,
        None => Visibility::parse(&post.visibility)?,
    };
    let prepared = Prepared::from_draft(draft, visibility);
    Ok(store
        .update_post(post.id, prepared.fields(), crate::db::now_ms())
        .await?)
}

pub async fn delete(
    store: &dyn Store,
    staff: &Staff,
    kind: ObjectKind,
    ap_id: &str,
) -> DomainResult<Post> {
    staff.require(&[Role::Editor])?;
    let post = own_post(store, staff, kind, ap_id).await?;
    store.tombstone_post(post.id).await?;
    Ok(post)
}

/// The stored structured fields of a post.
pub fn details_of(post: &Post) -> DomainResult<Details> {
    let kind = ObjectKind::parse(&post.kind)?;
    let value = match &post.data {
        Some(json) => serde_json::from_str(json)
            .map_err(|e| DomainError::Internal(format!("stored data of {}: {e}", post.ap_id)))?,
        None => serde_json::Value::Object(Default::default()),
    };
    Details::from_json(kind, value)
}
