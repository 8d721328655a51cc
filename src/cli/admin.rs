//! Operator commands that work on the database directly: accounts, tokens, the delivery
//! queue, federation rules and exports.

use super::{AccountCommand, DeliveriesCommand, DomainsCommand, ExportArgs, TokenCommand};
use crate::config::Config;
use crate::db;
use crate::domain::{accounts, organisations};

pub(super) async fn account(config: Config, command: AccountCommand) -> anyhow::Result<()> {
    let AccountCommand::Create {
        username,
        role,
        password,
        organisation,
    } = command;
    let store = db::connect(&config.database_url).await?;
    let org = match organisation {
        Some(handle) => organisations::by_handle(store.as_ref(), &handle).await?,
        None => match store.list_organisations().await?.into_iter().next() {
            Some(org) => org,
            None => {
                let sealer = super::unlock(&config, store.as_ref()).await?;
                organisations::create_organisation(
                    store.as_ref(),
                    &sealer,
                    &config.org_handle,
                    &config.org_name,
                )
                .await?
            }
        },
    };
    let role = accounts::Role::parse(&role)?;
    let account =
        accounts::create_account(store.as_ref(), org.id, &username, password.as_deref(), role)
            .await?;
    println!(
        "created account {} ({}) in @{}",
        account.username, account.role, org.handle
    );
    Ok(())
}

pub(super) async fn token(config: Config, command: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Create { username, label } = command;
    let store = db::connect(&config.database_url).await?;
    let account = store
        .account_by_username(&username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account named {username:?}"))?;
    let token = accounts::mint_token(
        store.as_ref(),
        account.id,
        accounts::TokenPurpose::Api,
        &label,
    )
    .await?;
    println!("{token}");
    Ok(())
}

pub(super) async fn export(config: Config, args: ExportArgs) -> anyhow::Result<()> {
    use crate::domain::export as exports;
    let store = db::connect(&config.database_url).await?;
    let mut facets = Vec::new();
    for (facet, list) in [
        ("theme", &args.theme),
        ("country", &args.country),
        ("population", &args.population),
        ("language", &args.language),
    ] {
        let values = list.iter().flat_map(|l| l.split(',')).map(str::trim);
        facets.extend(
            values
                .filter(|v| !v.is_empty())
                .map(|v| (facet, v.to_string())),
        );
    }
    if args.accepting {
        facets.push(("accepting", "true".to_string()));
    }
    let query = db::DirectoryQuery {
        text: args.q,
        facets,
        now: db::now_ms(),
        ..Default::default()
    };
    let programs = exports::matching_programs(store.as_ref(), query).await?;
    let refs: Vec<_> = programs.iter().collect();
    let names = exports::author_names(store.as_ref(), &refs).await?;
    let records = exports::program_records(&programs, &names);
    let text = match args.format.as_str() {
        "hsds" => serde_json::to_string_pretty(&exports::hsds(&records))?,
        "csv" => exports::csv(&records),
        other => anyhow::bail!("unknown format {other:?}: expected hsds or csv"),
    };
    match args.output {
        // Program contacts are in it: readable by the owner only, like the database.
        Some(path) => crate::private_files::write(path.as_ref(), &text)?,
        None => print!("{text}"),
    }
    Ok(())
}

pub(super) async fn domains(config: Config, command: DomainsCommand) -> anyhow::Result<()> {
    use crate::domain::policy::{self, FederationMode, RuleAction};
    let store = db::connect(&config.database_url).await?;
    let store = store.as_ref();
    match command {
        DomainsCommand::List => {
            let current = policy::load(store).await?;
            println!("mode: {}", current.mode.as_str());
            for rule in current.rules {
                println!("{}\t{}\t{}", rule.domain, rule.action, rule.reason);
            }
        }
        DomainsCommand::Block {
            domain,
            reason,
            purge,
        } => {
            let purged =
                policy::set_rule(store, None, &domain, RuleAction::Block, &reason, purge).await?;
            println!("blocked {domain}; purged {purged} posts");
        }
        DomainsCommand::Allow { domain, reason } => {
            policy::set_rule(store, None, &domain, RuleAction::Allow, &reason, false).await?;
            println!("allowed {domain}");
        }
        DomainsCommand::Remove { domain } => {
            policy::remove_rule(store, None, &domain).await?;
            println!("removed the rule for {domain}");
        }
        DomainsCommand::Mode { mode } => {
            let mode = match mode.as_str() {
                "blocklist" => FederationMode::Blocklist,
                "allowlist" => FederationMode::Allowlist,
                other => anyhow::bail!("unknown mode {other:?}: expected blocklist or allowlist"),
            };
            policy::set_mode(store, None, mode).await?;
            println!("federation mode: {}", mode.as_str());
        }
    }
    Ok(())
}

pub(super) async fn deliveries(
    config: Config,
    command: Option<DeliveriesCommand>,
) -> anyhow::Result<()> {
    let store = db::connect(&config.database_url).await?;
    match command {
        None => {
            for d in store.destination_states().await? {
                println!(
                    "{}\tpending={}\tdelivered={}\tfailed={}\tlast_error={}",
                    d.inbox,
                    d.pending,
                    d.delivered,
                    d.failed,
                    d.last_error.unwrap_or_default()
                );
            }
        }
        Some(DeliveriesCommand::Retry { inbox }) => {
            let n = store.retry_destination(&inbox).await?;
            println!("{n} deliveries to {inbox} are due now");
        }
        Some(DeliveriesCommand::Drop { inbox }) => {
            let n = store.drop_destination(&inbox).await?;
            println!("dropped {n} deliveries to {inbox}");
        }
    }
    Ok(())
}
