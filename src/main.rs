//! Entry point of the `gotong` binary.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let spec = std::env::var("GOTONG_LOG").unwrap_or_else(|_| "info".to_string());
    tracing_subscriber::fmt()
        .with_env_filter(gotong::cli::log_filter(&spec))
        .init();
    match gotong::cli::run(gotong::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gotong: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
