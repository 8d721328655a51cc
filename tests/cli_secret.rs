//! The secret key from the command line: a node refuses to start with another key or none,
//! and `gotong secret rotate` replaces it while the node is stopped.

mod common;

use common::binary::{free_port, gotong, serve, stop};

/// Runs `serve` expecting a refusal: it must exit (not listen) and say why on stderr.
fn refused(dir: &std::path::Path, port: u16) -> String {
    let out = gotong(dir, port)
        .arg("serve")
        .output()
        .expect("run gotong serve");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "it started:\n{stdout}");
    assert!(!stdout.contains("listening on"), "{stdout}");
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn the_node_checks_its_secret_key_and_rotates_it_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let (child, _) = serve(dir.path(), port);
    stop(child);
    let key_file = dir.path().join("data/secret.key");
    let right = std::fs::read_to_string(&key_file).expect("the first start made a key");

    std::fs::remove_file(&key_file).expect("remove");
    let said = refused(dir.path(), port);
    assert!(said.contains("is missing"), "{said}");
    assert!(
        !key_file.exists(),
        "no new key is made for a sealed database"
    );

    std::fs::write(&key_file, "bXkgb3RoZXIga2V5IG9mIHRoaXJ0eS10d28gYnl0ZXM=\n").expect("write");
    let said = refused(dir.path(), port);
    assert!(
        said.contains("is not the key this database was sealed with"),
        "{said}"
    );

    // Positive control: the right key starts it.
    std::fs::write(&key_file, &right).expect("restore");
    let (child, _) = serve(dir.path(), port);
    stop(child);

    let rotated = gotong(dir.path(), port)
        .args(["secret", "rotate"])
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&rotated.stdout);
    assert!(
        rotated.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&rotated.stderr)
    );
    assert!(said.contains("replaced by"), "{said}");
    let new = std::fs::read_to_string(&key_file).expect("new key");
    assert_ne!(new, right);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the new key is readable by its owner only"
        );
    }
    // The old key no longer opens the database; the new one does.
    std::fs::write(&key_file, &right).expect("old key back");
    let said = refused(dir.path(), port);
    assert!(said.contains("is not the key"), "{said}");
    std::fs::write(&key_file, &new).expect("new key back");
    let (child, _) = serve(dir.path(), port);
    stop(child);
}
