//! `gotong demo`: three nodes on 127.0.0.1 with sample programs, practices and offers,
//! following each other, so a newcomer sees federation and the directory at work in a minute.
//! Seeding goes through each node's public JSON API, as any script would.

mod seed;

use crate::config::Config;
use crate::db;
use crate::domain::{accounts, organisations};
use anyhow::Context;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::watch;

/// A demo organisation: handle, display name, and what it publishes.
pub struct DemoOrg {
    pub handle: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub posts: fn() -> Vec<(&'static str, Value)>,
}

struct RunningNode {
    base: String,
    account: String,
    token: String,
}

/// Starts the demo nodes on `base_port`, `base_port + 1`, ... and runs until Ctrl-C.
pub async fn run(base_port: u16, data_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = data_dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("gotong-demo-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut nodes = Vec::new();
    let mut servers = Vec::new();
    for (i, org) in seed::ORGANISATIONS.iter().enumerate() {
        let port = base_port + i as u16;
        let (node, server) = start_node(org, port, &dir, stop_rx.clone()).await?;
        nodes.push(node);
        servers.push(server);
    }
    let client = reqwest::Client::new();
    for (node, org) in nodes.iter().zip(seed::ORGANISATIONS.iter()) {
        seed_node(&client, node, org).await?;
    }
    for node in &nodes {
        for other in nodes.iter().filter(|o| o.base != node.base) {
            let body = serde_json::json!({ "handle": other.account });
            call(&client, node, "POST", "/api/v1/following", body).await?;
        }
    }
    print_summary(&nodes, &dir);
    let _ = tokio::signal::ctrl_c().await;
    let _ = stop_tx.send(true);
    for server in servers {
        let _ = server.await;
    }
    Ok(())
}

async fn start_node(
    org: &DemoOrg,
    port: u16,
    dir: &std::path::Path,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<(RunningNode, tokio::task::JoinHandle<()>)> {
    let config = Config {
        domain: format!("localhost:{port}"),
        listen: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        database_url: format!("sqlite://{}/{}.db", dir.display(), org.handle),
        dev: true,
        org_handle: org.handle.into(),
        org_name: org.name.into(),
        delivery_retry_base_secs: 2,
        secret_key_file: dir
            .join(format!("{}.key", org.handle))
            .display()
            .to_string(),
        ..Config::default()
    };
    let store = db::connect(&config.database_url).await?;
    let sealer =
        crate::domain::secret_key::unlock(store.as_ref(), config.secret_key_file.as_ref()).await?;
    organisations::bootstrap(store.as_ref(), &sealer, org.handle, org.name).await?;
    let admin = store
        .account_by_username("admin")
        .await?
        .context("the demo admin account")?;
    let token = accounts::mint_token(
        store.as_ref(),
        admin.id,
        accounts::TokenPurpose::Api,
        "demo",
    )
    .await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("port {port} is taken; try --base-port"))?;
    let node = RunningNode {
        base: config.base_url(),
        account: format!("{}@{}", org.handle, config.domain),
        token,
    };
    let server = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        if let Err(e) = crate::node::serve(config, store, listener, shutdown).await {
            eprintln!("demo node stopped: {e:#}");
        }
    });
    Ok((node, server))
}

async fn call(
    client: &reqwest::Client,
    node: &RunningNode,
    method: &str,
    path: &str,
    body: Value,
) -> anyhow::Result<Value> {
    let method = reqwest::Method::from_bytes(method.as_bytes())?;
    let response = client
        .request(method, format!("{}{path}", node.base))
        .bearer_auth(&node.token)
        .json(&body)
        .timeout(Duration::from_secs(30))
        .send()
        .await?;
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    anyhow::ensure!(status.is_success(), "{path}: {status} {answer}");
    Ok(answer)
}

/// Publishes the organisation's sample content, unless an earlier run already did.
async fn seed_node(
    client: &reqwest::Client,
    node: &RunningNode,
    org: &DemoOrg,
) -> anyhow::Result<()> {
    let existing = call(client, node, "GET", "/api/v1/programs", Value::Null).await?;
    if existing.as_array().is_some_and(|a| !a.is_empty()) {
        return Ok(());
    }
    let profile = serde_json::json!({ "summary": org.summary });
    call(client, node, "PATCH", "/api/v1/organisation", profile).await?;
    let mut program_url: Option<String> = None;
    for (kind, mut body) in (org.posts)() {
        if kind == "offers" {
            if let Some(url) = &program_url {
                body["program"] = Value::String(url.clone());
            }
            body["validUntil"] = Value::from(db::now_ms() + 30 * 86_400_000);
        }
        let created = call(client, node, "POST", &format!("/api/v1/{kind}"), body).await?;
        if kind == "programs" && program_url.is_none() {
            program_url = created["url"].as_str().map(str::to_string);
        }
    }
    Ok(())
}

fn print_summary(nodes: &[RunningNode], dir: &std::path::Path) {
    println!(
        "\nGotong demo: three nodes following each other (data in {}).\n",
        dir.display()
    );
    for node in nodes {
        println!("  {}  @{}", node.base, node.account);
        println!("      token: {}", node.token);
    }
    if let Some(first) = nodes.first() {
        println!(
            "\nTry the regional directory (it spans all three nodes once federation settles):\n  \
             curl '{}/api/v1/directory?q=legal%20aid%20Malaysia'\n",
            first.base
        );
    }
    println!("demo ready. Press Ctrl-C to stop.");
}
