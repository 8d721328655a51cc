//! `gotong admin`: local moderation, reports and subscribed domain lists, worked on the
//! database directly (a refresh also fetches, signed like the running node).

use crate::config::Config;
use crate::db::{self, Store};
use crate::domain::{moderation, organisations, policy::RuleAction, subscriptions};
use clap::Subcommand;
use std::sync::Arc;

#[derive(Subcommand)]
pub(super) enum AdminCommand {
    /// Suspend a remote actor (by its ActivityPub id): hide its content, refuse its
    /// activities, stop deliveries to it and drop its follows.
    Suspend {
        actor: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Lift a suspension.
    Unsuspend { actor: String },
    /// List suspended actors and actors that deleted themselves.
    Suspensions,
    /// Remove a remote object here (its copy goes; later updates of it are ignored).
    RemoveObject {
        object: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// List the reports of an organisation (default: the first one).
    Reports {
        #[arg(long)]
        organisation: Option<String>,
        /// Only reports in this state: open or resolved.
        #[arg(long)]
        state: Option<String>,
    },
    /// Mark a report resolved.
    ResolveReport {
        id: i64,
        #[arg(long)]
        organisation: Option<String>,
    },
    /// List the domain lists this node subscribes to, with their domains.
    Subscriptions,
    /// Subscribe to another node's published list (e.g. https://node/federation/blocklist)
    /// and fetch it now.
    Subscribe {
        url: String,
        /// What the listed domains become here: allow or block.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Forget a subscription and the domains it brought.
    Unsubscribe { id: i64 },
    /// Fetch one subscribed list now, or all of them.
    Refresh { id: Option<i64> },
}

async fn organisation(store: &dyn Store, handle: Option<String>) -> anyhow::Result<i64> {
    Ok(match handle {
        Some(handle) => organisations::by_handle(store, &handle).await?.id,
        None => store
            .list_organisations()
            .await?
            .first()
            .map(|o| o.id)
            .ok_or_else(|| anyhow::anyhow!("no organisation yet: start the node once"))?,
    })
}

pub(super) async fn admin(config: Config, command: AdminCommand) -> anyhow::Result<()> {
    let shared = db::connect(&config.database_url).await?;
    let store = shared.as_ref();
    match command {
        AdminCommand::Suspend { actor, reason } => {
            let n = moderation::suspend_actor(store, None, &actor, &reason).await?;
            println!("suspended {actor}; removed {n} posts");
        }
        AdminCommand::Unsuspend { actor } => {
            moderation::unsuspend_actor(store, None, &actor).await?;
            println!("lifted the suspension of {actor}");
        }
        AdminCommand::Suspensions => {
            for m in store.marked_actors().await? {
                println!("{}\t{}\t{}", m.ap_id, m.state, m.reason);
            }
        }
        AdminCommand::RemoveObject { object, reason } => {
            moderation::remove_object(store, None, &object, &reason).await?;
            println!("removed {object}");
        }
        AdminCommand::Reports {
            organisation: org,
            state,
        } => {
            let org = organisation(store, org).await?;
            for r in store.list_reports(org, state.as_deref()).await? {
                let r = moderation::Report::from(r);
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    r.id,
                    r.direction,
                    r.state,
                    r.reporter,
                    r.targets.join(" "),
                    r.comment
                );
            }
        }
        AdminCommand::ResolveReport {
            id,
            organisation: org,
        } => {
            let org = organisation(store, org).await?;
            if !store.resolve_report(org, id, "cli").await? {
                anyhow::bail!("no report {id}");
            }
            println!("report {id} resolved");
        }
        AdminCommand::Subscriptions => {
            for s in store.subscriptions().await? {
                let domains = store.subscribed_domains(s.id).await?;
                println!(
                    "{}\t{}\t{}\tlast_error={}\t{}",
                    s.id,
                    s.kind,
                    s.url,
                    s.last_error.unwrap_or_default(),
                    domains.join(" ")
                );
            }
        }
        AdminCommand::Subscribe {
            url,
            kind,
            organisation: org,
        } => {
            let action = match kind.as_str() {
                "allow" => RuleAction::Allow,
                "block" => RuleAction::Block,
                other => anyhow::bail!("unknown kind {other:?}: expected allow or block"),
            };
            let org = organisation(store, org).await?;
            let sub = subscriptions::subscribe(store, None, org, &url, action).await?;
            println!("subscription {} to {}", sub.id, sub.url);
            refresh(config, shared.clone(), Some(sub.id)).await?;
        }
        AdminCommand::Unsubscribe { id } => {
            subscriptions::unsubscribe(store, None, id).await?;
            println!("unsubscribed {id}");
        }
        AdminCommand::Refresh { id } => refresh(config, shared.clone(), id).await?,
    }
    Ok(())
}

async fn refresh(config: Config, store: Arc<dyn Store>, id: Option<i64>) -> anyhow::Result<()> {
    use crate::app::subscriptions::refresh;
    let federation = crate::federation::federation_config(Arc::new(config), store).await?;
    let subs = federation.store.subscriptions().await?;
    let mut failed = 0;
    for sub in subs.iter().filter(|s| id.is_none_or(|id| s.id == id)) {
        match refresh(&federation, sub).await {
            Ok(c) => println!(
                "{}: added {} removed {}",
                sub.url,
                c.added.join(" "),
                c.removed.join(" ")
            ),
            Err(why) => {
                failed += 1;
                eprintln!("{}: not refreshed, last good list kept: {why}", sub.url);
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} lists could not be fetched");
    }
    Ok(())
}
