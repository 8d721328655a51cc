//! The suspend and remove actions of `/admin/moderation`: each shows what is about to happen
//! on a page of its own, and only a post with `confirm=yes` from that page carries it out,
//! through `domain::moderation` as the API does. Lifting a suspension needs no confirmation.

use super::super::{done, AdminPage, AdminPost};
use super::{refuse, Entered};
use crate::domain::moderation;
use crate::domain::DomainError;
use crate::federation::{actors::resolve_handle, FedData};
use crate::web::ui::page::{url_encode, Page, PageResult};
use crate::web::ui::templates::post_title;
use askama::Template;
use axum::{
    extract::Query,
    response::{IntoResponse, Redirect},
};
use serde::Deserialize;

/// "Are you sure?": what is about to happen, and the form that does it.
#[derive(Template)]
#[template(path = "admin_moderation_confirm.html")]
struct ConfirmPage<'a> {
    page: &'a Page,
    section: &'static str,
    title: String,
    warning: String,
    /// `(label, value)` lines describing the target.
    facts: Vec<(String, String)>,
    action: &'static str,
    /// Hidden fields of the confirming form.
    fields: Vec<(&'static str, String)>,
    button: String,
}

/// The actor URL for an entered URL or `@name@domain` handle (resolved with WebFinger).
async fn actor_id(data: &FedData, entered: &str) -> Option<String> {
    let entered = entered.trim();
    if entered.starts_with("http://") || entered.starts_with("https://") {
        return url::Url::parse(entered).ok().map(String::from);
    }
    let actor = resolve_handle(data, entered).await.ok()?;
    Some(actor.row.ap_id)
}

pub async fn confirm_suspend(
    AdminPage(page, _): AdminPage,
    data: FedData,
    Query(q): Query<Entered>,
) -> PageResult {
    let Some(actor) = actor_id(&data, &q.actor).await else {
        return refuse(&page, &data, "moderation-actor-unknown", q).await;
    };
    let mut facts = vec![(page.t("moderation-actor"), actor.clone())];
    if let Some(known) = data.store.remote_actor_by_ap_id(&actor).await? {
        let name = format!("{} (@{}@{})", known.name, known.username, known.domain);
        facts.push((page.t("moderation-actor-name"), name));
    }
    if !q.reason.trim().is_empty() {
        facts.push((page.t("moderation-reason"), q.reason.trim().to_string()));
    }
    Ok(page.render(&ConfirmPage {
        page: &page,
        section: "moderation",
        title: page.t("moderation-suspend-title"),
        warning: page.t("moderation-suspend-warning"),
        facts,
        action: "/admin/moderation/suspend",
        fields: vec![("actor", actor), ("reason", q.reason)],
        button: page.t("moderation-suspend-confirm"),
    }))
}

#[derive(Deserialize)]
pub struct SuspendForm {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

pub async fn suspend(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<SuspendForm>,
) -> PageResult {
    if form.confirm != "yes" {
        let back = format!(
            "/admin/moderation/suspend?actor={}&reason={}",
            url_encode(&form.actor),
            url_encode(&form.reason)
        );
        return Ok(Redirect::to(&back).into_response());
    }
    let store = data.store.as_ref();
    match moderation::suspend_actor(store, Some(&staff), &form.actor, &form.reason).await {
        Ok(_) => Ok(done("/admin/moderation", "suspended")),
        Err(e @ (DomainError::Invalid(_) | DomainError::Conflict(_))) => {
            let key = match e {
                DomainError::Conflict(_) => "moderation-actor-gone",
                _ => "moderation-actor-unknown",
            };
            let entered = Entered {
                actor: form.actor,
                reason: form.reason,
                ..Entered::default()
            };
            refuse(&page, &data, key, entered).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActorForm {
    #[serde(default)]
    actor: String,
}

pub async fn unsuspend(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<ActorForm>,
) -> PageResult {
    match moderation::unsuspend_actor(data.store.as_ref(), Some(&staff), &form.actor).await {
        Ok(()) => Ok(done("/admin/moderation", "unsuspended")),
        Err(DomainError::Invalid(_) | DomainError::NotFound(_)) => {
            let entered = Entered::default();
            refuse(&page, &data, "moderation-not-suspended", entered).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm_remove(
    AdminPage(page, _): AdminPage,
    data: FedData,
    Query(q): Query<Entered>,
) -> PageResult {
    let object = q.object.trim().to_string();
    let held = data.store.post_by_ap_id(&object).await?;
    if held.as_ref().is_some_and(|p| p.organisation_id.is_some()) {
        return refuse(&page, &data, "moderation-object-local", q).await;
    }
    if url::Url::parse(&object).is_err() {
        return refuse(&page, &data, "moderation-object-invalid", q).await;
    }
    let mut facts = vec![(page.t("moderation-object"), object.clone())];
    match &held {
        Some(post) => {
            facts.push((page.t("moderation-object-title"), post_title(post)));
            facts.push((
                page.t("moderation-object-author"),
                post.author_ap_id.clone(),
            ));
        }
        None => facts.push((
            page.t("moderation-object-title"),
            page.t("moderation-not-held"),
        )),
    }
    if !q.reason.trim().is_empty() {
        facts.push((page.t("moderation-reason"), q.reason.trim().to_string()));
    }
    Ok(page.render(&ConfirmPage {
        page: &page,
        section: "moderation",
        title: page.t("moderation-remove-title"),
        warning: page.t("moderation-remove-warning"),
        facts,
        action: "/admin/moderation/remove",
        fields: vec![("object", object), ("reason", q.reason)],
        button: page.t("moderation-remove-confirm"),
    }))
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    object: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

pub async fn remove(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<RemoveForm>,
) -> PageResult {
    if form.confirm != "yes" {
        let back = format!(
            "/admin/moderation/remove?object={}&reason={}",
            url_encode(&form.object),
            url_encode(&form.reason)
        );
        return Ok(Redirect::to(&back).into_response());
    }
    let store = data.store.as_ref();
    match moderation::remove_object(store, Some(&staff), &form.object, &form.reason).await {
        Ok(_) => Ok(done("/admin/moderation", "removed")),
        Err(DomainError::Invalid(_)) => {
            let local = store
                .post_by_ap_id(form.object.trim())
                .await?
                .is_some_and(|p| p.organisation_id.is_some());
            let key = if local {
                "moderation-object-local"
            } else {
                "moderation-object-invalid"
            };
            let entered = Entered {
                object: form.object,
                reason: form.reason,
                ..Entered::default()
            };
            refuse(&page, &data, key, entered).await
        }
        Err(e) => Err(e.into()),
    }
}
