//! Entry point of the `gotong` binary.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let spec = std::env::var("GOTONG_LOG").unwrap_or_else(|_| "info".to_string());
    // Logs go to standard error, so a command's own output (a token, an export) stays clean;
    // colours only when a person is watching.
    tracing_subscriber::fmt()
        .with_env_filter(gotong::cli::log_filter(&spec))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match gotong::cli::run(gotong::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gotong: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
