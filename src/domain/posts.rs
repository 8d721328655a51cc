//! Organisation updates (short news items): visibility, text to HTML, edit and delete rules,
//! and the rules for keeping copies of remote posts.

use super::{accounts::Role, accounts::Staff, DomainError, DomainResult};
use crate::db::{NewPost, PostRow, Store};

pub type Post = PostRow;

/// The only post kind so far; programs and practices will join it.
pub const KIND_UPDATE: &str = "update";

/// Longest update an editor may publish, in characters.
pub const MAX_UPDATE_CHARS: usize = 5000;

/// Who may see a post: everyone, or only the organisation's accepted followers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
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

/// Plain text as HTML: escaped, blank lines make paragraphs, single newlines make `<br>`.
pub fn text_to_html(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#39;")
    };
    text.trim()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

/// Remote HTML reduced to safe formatting: no scripts, event handlers, styles or
/// `javascript:` links. Applied before a remote post is stored.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

fn validate_text(text: &str) -> DomainResult<()> {
    let chars = text.trim().chars().count();
    if chars == 0 {
        return Err(DomainError::Invalid("text must not be empty".into()));
    }
    if chars > MAX_UPDATE_CHARS {
        return Err(DomainError::Invalid(format!(
            "text is {chars} characters; the limit is {MAX_UPDATE_CHARS}"
        )));
    }
    Ok(())
}

/// Stores a new update written by `staff` for their organisation under the id `ap_id`.
pub async fn create_update(
    store: &dyn Store,
    staff: &Staff,
    author_ap_id: &str,
    ap_id: &str,
    text: &str,
    visibility: Visibility,
) -> DomainResult<Post> {
    staff.require(&[Role::Editor])?;
    validate_text(text)?;
    Ok(store
        .insert_post(NewPost {
            ap_id,
            kind: KIND_UPDATE,
            organisation_id: Some(staff.organisation_id),
            author_ap_id,
            visibility: visibility.as_str(),
            content: &text_to_html(text),
            source: Some(text.trim()),
            published_at: crate::db::now_ms(),
            updated_at: None,
        })
        .await?)
}

/// The organisation's own, not deleted post with this id, or `NotFound`.
pub async fn own_post(store: &dyn Store, staff: &Staff, ap_id: &str) -> DomainResult<Post> {
    match store.post_by_ap_id(ap_id).await? {
        Some(p) if p.organisation_id == Some(staff.organisation_id) && p.deleted_at.is_none() => {
            Ok(p)
        }
        _ => Err(DomainError::NotFound("update")),
    }
}

pub async fn edit_update(
    store: &dyn Store,
    staff: &Staff,
    ap_id: &str,
    text: &str,
) -> DomainResult<Post> {
    staff.require(&[Role::Editor])?;
    validate_text(text)?;
    let post = own_post(store, staff, ap_id).await?;
    Ok(store
        .update_post_content(
            post.id,
            &text_to_html(text),
            Some(text.trim()),
            crate::db::now_ms(),
        )
        .await?)
}

pub async fn delete_update(store: &dyn Store, staff: &Staff, ap_id: &str) -> DomainResult<Post> {
    staff.require(&[Role::Editor])?;
    let post = own_post(store, staff, ap_id).await?;
    store.tombstone_post(post.id).await?;
    Ok(post)
}

/// A post received from another server, already checked to come from its author.
pub struct RemotePost<'a> {
    pub ap_id: &'a str,
    pub author_ap_id: &'a str,
    pub html: &'a str,
    pub visibility: Visibility,
    pub published_at: i64,
    pub updated_at: Option<i64>,
}

/// Keeps a copy of a remote post when a local organisation follows its author; otherwise
/// ignores it (`Ok(None)`), so strangers cannot fill the database.
pub async fn receive_remote_post(
    store: &dyn Store,
    post: RemotePost<'_>,
) -> DomainResult<Option<Post>> {
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
    Ok(Some(
        store
            .upsert_remote_post(NewPost {
                ap_id: post.ap_id,
                kind: KIND_UPDATE,
                organisation_id: None,
                author_ap_id: post.author_ap_id,
                visibility: post.visibility.as_str(),
                content: &sanitize_html(post.html),
                source: None,
                published_at: post.published_at,
                updated_at: post.updated_at,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(
            text_to_html("Clinic open <today>\nfrom 9\n\nBring ID & papers"),
            "<p>Clinic open &lt;today&gt;<br>from 9</p><p>Bring ID &amp; papers</p>"
        );
    }

    #[test]
    fn hostile_html_is_made_inert() {
        let clean = sanitize_html(
            r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(2)">l</a></p>"#,
        );
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript:"), "{clean}");
        assert!(clean.contains("Hi"), "{clean}");
    }
}
