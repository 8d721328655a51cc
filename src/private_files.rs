//! Files and directories only the node's own user may read: the SQLite database with its WAL
//! and shared-memory files, the directory of the secret key, and exports written to a file.
//! (The secret key file itself is created 0600 where it is made.)
//!
//! Modes are set explicitly rather than through the process umask, so they hold whatever
//! umask the service manager gives the node. SQLite creates its `-wal` and `-shm` files with
//! the mode of the database file, so a database created 0600 keeps them private too.

use std::path::Path;

/// Creates `dir` and any missing parents, each readable by the owner only (0700); existing
/// directories are left as they are (they may be shared, like `/var/lib`).
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.exists() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Makes the SQLite database at `path` private before SQLite opens it: its directory is
/// created 0700 if missing, the file is created 0600 if missing, and an existing database,
/// WAL or shared-memory file (from a version that did not do this) is set to 0600.
pub fn prepare_sqlite(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        create_dir(parent)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    restrict_sqlite(path)
}

/// Sets the database file and its `-wal` and `-shm` files, where they exist, to 0600.
pub fn restrict_sqlite(path: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        restrict(Path::new(&name))?;
    }
    Ok(())
}

/// Sets an existing file to 0600; a missing one is not an error.
pub fn restrict(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `text` to `path`, which ends up readable by the owner only (0600) whether it is new
/// or replaced.
pub fn write(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    restrict(path)?;
    file.write_all(text.as_bytes())
}
