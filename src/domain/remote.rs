//! Copies of what other organisations publish: kept only when a local organisation follows
//! the author, only changed or removed by their author, always sanitised.

use super::languages::LanguageMaps;
use super::objects::Details;
use super::posts::{Post, Prepared, Visibility};
use super::text::{html_text, sanitize_html};
use super::{DomainError, DomainResult};
use crate::db::{NewPost, Store};

/// A post received from another server, already checked to come from its author.
pub struct RemotePost<'a> {
    pub ap_id: &'a str,
    pub author_ap_id: &'a str,
    pub name: &'a str,
    pub summary: &'a str,
    pub html: &'a str,
    pub tags: Vec<String>,
    pub visibility: Visibility,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub details: Details,
    /// The object's other languages (`nameMap`, `summaryMap`, `contentMap`), cleaned.
    pub languages: Option<LanguageMaps>,
}

/// Keeps a copy of a remote post when a local organisation follows its author; otherwise
/// ignores it (`Ok(None)`), so strangers cannot fill the database. Objects an admin removed
/// and posts of suspended or deleted actors are ignored too.
pub async fn receive_remote_post(
    store: &dyn Store,
    post: RemotePost<'_>,
) -> DomainResult<Option<Post>> {
    if store.is_object_removed(post.ap_id).await?
        || super::moderation::is_refused(store, post.author_ap_id).await?
    {
        return Ok(None);
    }
    if store
        .organisations_following(post.author_ap_id)
        .await?
        .is_empty()
    {
        return Ok(None);
    }
    if let Some(existing) = store.post_by_ap_id(post.ap_id).await? {
        if existing.author_ap_id != post.author_ap_id || existing.organisation_id.is_some() {
            return Err(DomainError::Forbidden("post belongs to another author"));
        }
    }
    let tags: Vec<String> = post
        .tags
        .iter()
        .map(|t| t.trim_start_matches('#').replace(char::is_whitespace, "-"))
        .filter(|t| !t.is_empty())
        .collect();
    let prepared = Prepared::new(
        &html_text(post.name),
        &html_text(post.summary),
        sanitize_html(post.html),
        None,
        &tags,
        post.visibility,
        &post.details,
    )
    .with_languages(post.languages.as_ref());
    Ok(Some(
        store
            .upsert_remote_post(NewPost {
                ap_id: post.ap_id,
                organisation_id: None,
                author_ap_id: post.author_ap_id,
                published_at: post.published_at,
                updated_at: post.updated_at,
                fields: prepared.fields(),
            })
            .await?,
    ))
}

/// Removes the copy of a remote post when `actor` is its author.
pub async fn remove_remote_post(store: &dyn Store, actor: &str, ap_id: &str) -> DomainResult<bool> {
    match store.post_by_ap_id(ap_id).await? {
        Some(p) if p.organisation_id.is_none() && p.author_ap_id == actor => {
            store.delete_post(p.id).await?;
            Ok(true)
        }
        Some(_) => Err(DomainError::Forbidden("only the author may delete a post")),
        None => Ok(false),
    }
}
