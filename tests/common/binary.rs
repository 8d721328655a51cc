//! The `gotong` binary as an operator runs it, for tests of the command line.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn gotong(dir: &std::path::Path, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gotong"));
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GOTONG_DEV", "true")
        .env("GOTONG_DOMAIN", format!("localhost:{port}"))
        .env("GOTONG_LISTEN", format!("127.0.0.1:{port}"))
        .env("GOTONG_ORG_HANDLE", "prc")
        .env("GOTONG_ORG_NAME", "Philippine Red Cross (example)")
        .env("GOTONG_LOG", "warn");
    cmd
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Starts `serve` and returns it with everything it printed up to "listening on".
pub fn serve(dir: &std::path::Path, port: u16) -> (Child, String) {
    let mut child = gotong(dir, port)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn gotong");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut printed = String::new();
    while Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            printed.push_str(&line);
            printed.push('\n');
            if line.contains("listening on") {
                return (child, printed);
            }
        }
    }
    stop(child);
    panic!("gotong serve did not start; printed:\n{printed}");
}

pub fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}
