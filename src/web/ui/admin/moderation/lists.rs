//! The "Subscribed lists" section of `/admin/federation`: another node's published allow or
//! block list, subscribed to, refreshed now, or dropped; and the rules those lists put in
//! force, next to the local ones. Calls `domain::subscriptions` and the same refresh as the
//! API and the background refresher.

use super::super::{done, federation, when, AdminPost};
use crate::app::subscriptions::refresh;
use crate::domain::policy::{self, RuleAction};
use crate::domain::{subscriptions, DomainError};
use crate::federation::FedData;
use crate::web::ui::page::PageResult;
use axum::{routing::post, Router};
use serde::Deserialize;

pub fn routes() -> Router {
    Router::new()
        .route("/admin/federation/lists", post(subscribe))
        .route("/admin/federation/lists/refresh", post(refresh_now))
        .route("/admin/federation/lists/remove", post(unsubscribe))
}

pub struct ListLine {
    pub id: i64,
    pub url: String,
    pub kind: String,
    pub last_fetched: Option<String>,
    pub last_error: Option<String>,
    pub domains: usize,
}

/// A domain rule taken from a subscribed list.
pub struct SubscribedRule {
    pub domain: String,
    pub action: String,
    /// The list it comes from.
    pub source: String,
    /// The local rule's action when a local rule for the same domain wins over this one.
    pub local: Option<String>,
}

/// What the federation page shows of subscribed lists.
#[derive(Default)]
pub struct ListsView {
    pub lists: Vec<ListLine>,
    pub rules: Vec<SubscribedRule>,
    /// What was typed in the subscribe form, when it was refused.
    pub entered_url: String,
}

pub async fn view(data: &FedData, entered_url: String) -> PageResult<ListsView> {
    let store = data.store.as_ref();
    let local = policy::load(store).await?.rules;
    let mut view = ListsView {
        entered_url,
        ..ListsView::default()
    };
    for sub in store.subscriptions().await? {
        let domains = store.subscribed_domains(sub.id).await?;
        for domain in &domains {
            view.rules.push(SubscribedRule {
                domain: domain.clone(),
                action: sub.kind.clone(),
                source: sub.url.clone(),
                local: local
                    .iter()
                    .find(|r| &r.domain == domain)
                    .map(|r| r.action.clone()),
            });
        }
        view.lists.push(ListLine {
            id: sub.id,
            last_fetched: sub.last_fetched_at.map(when),
            last_error: sub.last_error,
            domains: domains.len(),
            url: sub.url,
            kind: sub.kind,
        });
    }
    view.rules.sort_by(|a, b| a.domain.cmp(&b.domain));
    Ok(view)
}

#[derive(Deserialize)]
pub struct SubscribeForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    kind: String,
}

/// Subscribes and fetches the list at once, as the API does; a failed first fetch keeps the
/// subscription (its error shows in the list) and is retried at the next refresh.
pub async fn subscribe(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<SubscribeForm>,
) -> PageResult {
    let kind = match form.kind.as_str() {
        "block" => RuleAction::Block,
        "allow" => RuleAction::Allow,
        _ => {
            let key = "admin-federation-action-invalid";
            return federation::refuse_list(&page, &data, key, form.url).await;
        }
    };
    let store = data.store.as_ref();
    let org = staff.organisation_id;
    match subscriptions::subscribe(store, Some(&staff), org, &form.url, kind).await {
        Ok(sub) => match refresh(&data, &sub).await {
            Ok(_) => Ok(done("/admin/federation", "subscribed")),
            Err(_) => Ok(done("/admin/federation", "list-failed")),
        },
        Err(DomainError::Invalid(_) | DomainError::Conflict(_)) => {
            let key = "moderation-list-url-invalid";
            federation::refuse_list(&page, &data, key, form.url).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ListForm {
    id: i64,
}

pub async fn refresh_now(
    data: FedData,
    AdminPost { page, form, .. }: AdminPost<ListForm>,
) -> PageResult {
    let Some(sub) = data.store.subscription_by_id(form.id).await? else {
        let key = "moderation-list-not-found";
        return federation::refuse_list(&page, &data, key, String::new()).await;
    };
    // A failed fetch is recorded with the subscription and shown in the list.
    match refresh(&data, &sub).await {
        Ok(_) => Ok(done("/admin/federation", "refreshed")),
        Err(_) => Ok(done("/admin/federation", "list-failed")),
    }
}

pub async fn unsubscribe(
    data: FedData,
    AdminPost { page, staff, form }: AdminPost<ListForm>,
) -> PageResult {
    match subscriptions::unsubscribe(data.store.as_ref(), Some(&staff), form.id).await {
        Ok(()) => Ok(done("/admin/federation", "unsubscribed")),
        Err(DomainError::NotFound(_)) => {
            let key = "moderation-list-not-found";
            federation::refuse_list(&page, &data, key, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}
