//! The `gotong` command: run a node, and the operator tasks scripts and tests need.

use crate::config::Config;
use crate::db;
use crate::domain::organisations;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "gotong",
    version,
    about = "A federated server for humanitarian organisations"
)]
pub struct Cli {
    /// Configuration file; environment variables GOTONG_* override it.
    #[arg(
        long,
        env = "GOTONG_CONFIG",
        default_value = "gotong.toml",
        global = true
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the node (creates and migrates the database on first start).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Manage staff accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Show the delivery queue's state per destination inbox, or retry or drop a backlog.
    Deliveries {
        #[command(subcommand)]
        command: Option<DeliveriesCommand>,
    },
    /// Who this node federates with: list, block, allow or forget domains, or set the mode.
    Domains {
        #[command(subcommand)]
        command: DomainsCommand,
    },
    /// Local moderation, reports and subscribed domain lists.
    Admin {
        #[command(subcommand)]
        command: moderation::AdminCommand,
    },
    /// The node's secret key, which seals private keys and referral data.
    Secret {
        #[command(subcommand)]
        command: SecretCommand,
    },
    /// Run the retention job now: expire referrals unanswered for referral_expiry_days, and
    /// erase the personal fields of referrals that ended longer ago than
    /// referral_retention_days (a running node does this every hour).
    Retention,
    /// Start three sample nodes on 127.0.0.1 that follow each other, and print their tokens.
    Demo {
        /// Port of the first node; the others take the next ports.
        #[arg(long, default_value_t = 8081)]
        base_port: u16,
        /// Keep the nodes' databases here (default: a new temporary folder).
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Export the directory's programs (local and received) as HSDS 3.0 JSON or HXL CSV.
    Export(ExportArgs),
}

#[derive(Subcommand)]
enum SecretCommand {
    /// Replace the secret key and re-encrypt every sealed value with the new one. Stop the
    /// node first; if interrupted, run it again to finish.
    Rotate,
}

#[derive(clap::Args)]
struct ExportArgs {
    /// hsds (Open Referral HSDS 3.0 JSON) or csv (with an HXL hashtag row)
    #[arg(long, default_value = "hsds")]
    format: String,
    /// Full-text query
    #[arg(long)]
    q: Option<String>,
    /// Theme codes, comma-separated (all must match)
    #[arg(long)]
    theme: Option<String>,
    /// ISO 3166-1 alpha-2 country codes, comma-separated
    #[arg(long)]
    country: Option<String>,
    /// Population codes, comma-separated
    #[arg(long)]
    population: Option<String>,
    /// BCP 47 language tags, comma-separated
    #[arg(long)]
    language: Option<String>,
    /// Only programs accepting referrals now
    #[arg(long)]
    accepting: bool,
    /// Write to this file instead of standard output
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Create an account in an organisation of this node.
    Create {
        #[arg(long)]
        username: String,
        /// admin, editor or caseworker
        #[arg(long)]
        role: String,
        /// At least 10 characters. Omit to create an account that can only use tokens.
        #[arg(long, env = "GOTONG_NEW_PASSWORD")]
        password: Option<String>,
        /// Organisation handle; defaults to the node's first organisation.
        #[arg(long)]
        organisation: Option<String>,
    },
}

#[derive(Subcommand)]
enum DeliveriesCommand {
    /// Try the pending deliveries to this inbox now (after its server is back).
    Retry { inbox: String },
    /// Give up the pending deliveries to this inbox.
    Drop { inbox: String },
}

#[derive(Subcommand)]
enum DomainsCommand {
    /// Show the mode and every rule.
    List,
    /// Refuse everything from and to a domain (and its subdomains).
    Block {
        domain: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// Also delete what was received from it.
        #[arg(long)]
        purge: bool,
    },
    /// Allow a domain (what counts in allowlist mode).
    Allow {
        domain: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Forget the rule for a domain.
    Remove { domain: String },
    /// blocklist (federate with everyone but blocked domains) or allowlist (only allowed ones).
    Mode { mode: String },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Mint an API token for an account and print it (it is shown only once).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

/// The log filter for `spec` (GOTONG_LOG), with the HTML parser held at `warn` whatever the
/// spec says: at debug level it logs the text it parses, which may be a referral message.
pub fn log_filter(spec: &str) -> tracing_subscriber::EnvFilter {
    let mut filter = tracing_subscriber::EnvFilter::try_new(spec)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    for quiet in ["html5ever=warn", "markup5ever=warn"] {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    filter
}

fn load_config(path: &std::path::Path) -> anyhow::Result<Config> {
    Ok(Config::load(Some(path), std::env::vars())?)
}

mod admin;
mod moderation;

use admin::{account, deliveries, domains, export, token};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Demo {
        base_port,
        data_dir,
    } = cli.command
    {
        return crate::demo::run(base_port, data_dir).await;
    }
    let config = load_config(&cli.config)?;
    match cli.command {
        Command::Demo { .. } => Ok(()),
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let store = db::connect(&config.database_url).await?;
            println!("database is up to date ({})", store.backend());
            Ok(())
        }
        Command::Account { command } => account(config, command).await,
        Command::Token { command } => token(config, command).await,
        Command::Export(args) => export(config, args).await,
        Command::Domains { command } => domains(config, command).await,
        Command::Admin { command } => moderation::admin(config, command).await,
        Command::Secret {
            command: SecretCommand::Rotate,
        } => {
            let store = db::connect(&config.database_url).await?;
            let path = std::path::Path::new(&config.secret_key_file);
            let done = crate::domain::secret_key::rotate(store.as_ref(), path, None).await?;
            println!(
                "secret key {} replaced by {} in {}; {} values re-encrypted.\n\
                 Back up the new key now. Database backups made before this rotation can only \
                 be read with the old key: keep your copy of it as long as you keep them.",
                done.old_key_id,
                done.new_key_id,
                path.display(),
                done.resealed
            );
            Ok(())
        }
        Command::Retention => {
            let store = db::connect(&config.database_url).await?;
            // Expiry tells the other parties with queued activities, sent when the node runs.
            let federation =
                crate::federation::federation_config(std::sync::Arc::new(config), store).await?;
            let report = crate::node::jobs::referral_jobs(&federation, db::now_ms()).await?;
            println!(
                "erased {} referrals; emptied {} queued private activities",
                report.referrals_erased, report.queue_bodies_purged
            );
            Ok(())
        }
        Command::Deliveries { command } => deliveries(config, command).await,
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let store = db::connect(&config.database_url).await?;
    let sealer = unlock(&config, store.as_ref()).await?;
    if let Some(boot) = organisations::bootstrap(
        store.as_ref(),
        &sealer,
        &config.org_handle,
        &config.org_name,
    )
    .await?
    {
        println!(
            "\nCreated organisation @{}@{} and account '{}'.\n\
             Finish setting up in a browser with this one-time link:\n\n  {}/setup?token={}\n\n\
             or from a terminal:\n\n  \
             curl -X POST {}/api/v1/setup -H 'Content-Type: application/json' \\\n    \
             -d '{{\"token\":\"{}\",\"password\":\"a long passphrase\"}}'\n",
            boot.organisation.handle,
            config.domain,
            boot.admin_username,
            config.base_url(),
            boot.setup_token,
            config.base_url(),
            boot.setup_token
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    println!(
        "Gotong node {} listening on {}",
        config.base_url(),
        config.listen
    );
    crate::node::serve(config, store, listener, shutdown_signal()).await
}

/// Opens the node's secret key, checked against the database (see `domain::secret_key`).
pub(crate) async fn unlock(
    config: &Config,
    store: &dyn db::Store,
) -> anyhow::Result<crate::domain::sealing::Sealer> {
    Ok(crate::domain::secret_key::unlock(store, config.secret_key_file.as_ref()).await?)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
