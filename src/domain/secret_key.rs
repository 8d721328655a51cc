//! The node's secret key: a file kept apart from the database, which seals everything that is
//! not public (see [`super::sealing`]). This module opens it and checks it against the
//! database before anything is served or signed, re-seals values of earlier versions, and
//! rotates it (`gotong secret rotate`).

use super::sealing::{Binding, Sealer, SecretKey, PREFIX};
use super::{DomainError, DomainResult};
use crate::db::{SealedColumn, Store};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use std::path::{Path, PathBuf};

/// What the key check value holds once opened.
const CHECK_TEXT: &str = "gotong secret key check";
/// Values re-sealed per database round trip.
const BATCH: i64 = 200;

/// Where the next key waits while a rotation is under way.
pub fn next_key_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".next");
    PathBuf::from(name)
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> DomainError + '_ {
    move |e| DomainError::Internal(format!("secret key file {}: {e}", path.display()))
}

/// The key in `path`, or `None` when there is no such file.
pub fn read_key(path: &Path) -> DomainResult<Option<[u8; 32]>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path)(e)),
    };
    let bytes = B64.decode(text.trim()).map_err(|_| {
        DomainError::Invalid(format!("secret key file {} is not base64", path.display()))
    })?;
    let key: [u8; 32] = bytes.try_into().map_err(|_| {
        DomainError::Invalid(format!(
            "the secret key in {} is not 32 bytes",
            path.display()
        ))
    })?;
    Ok(Some(key))
}

/// Creates a new random key in `path` (which must not exist), readable by its owner only,
/// and flushed to disk before it is used to seal anything.
pub fn create_key(path: &Path) -> DomainResult<[u8; 32]> {
    let io = io_error(path);
    if let Some(parent) = path.parent() {
        crate::private_files::create_dir(parent).map_err(&io)?;
    }
    let key = SecretKey::generate();
    write_private(path, &B64.encode(key)).map_err(&io)?;
    Ok(key)
}

/// Opens the node's secret key and checks it against the database: the node's first step,
/// before it serves or signs anything. On the first start (of an empty database, or of a
/// database from before keys were checked) it creates the key if needed, re-seals every value
/// of an earlier version (plain private keys included), and records which key sealed the
/// database. A start with another key, or without the key, is refused with the reason.
pub async fn unlock(store: &dyn Store, path: &Path) -> DomainResult<Sealer> {
    let next = next_key_path(path);
    if next.exists() {
        return Err(DomainError::Invalid(format!(
            "a rotation of the secret key was interrupted ({} exists): run `gotong secret rotate` again to finish it",
            next.display()
        )));
    }
    let recorded = store.node_secret().await?;
    let key = read_key(path)?;
    let Some(recorded) = recorded else {
        let key = match key {
            Some(key) => key,
            None => create_key(path)?,
        };
        let sealer = Sealer::from_key(&key);
        if reseal_all(store, &sealer, None).await? > 0 {
            store.scrub().await?;
        }
        record_key(store, &sealer).await?;
        return Ok(sealer);
    };
    let Some(key) = key else {
        return Err(DomainError::Invalid(format!(
            "the secret key file {} is missing, but this database was sealed with secret key {}: \
             restore the file from your backup (or set GOTONG_SECRET_KEY_FILE to where it is)",
            path.display(),
            recorded.key_id
        )));
    };
    let sealer = Sealer::from_key(&key);
    check_key(&sealer, &recorded.key_check, path, &recorded.key_id)?;
    Ok(sealer)
}

fn check_key(sealer: &Sealer, check: &str, path: &Path, expected: &str) -> DomainResult<()> {
    match sealer.open(check, &Binding::key_check()) {
        Ok(text) if text == CHECK_TEXT => Ok(()),
        _ => Err(DomainError::Invalid(format!(
            "the secret key in {} (key {}) is not the key this database was sealed with \
             (key {expected}): start the node with the right GOTONG_SECRET_KEY_FILE",
            path.display(),
            sealer.key_id()
        ))),
    }
}

async fn record_key(store: &dyn Store, sealer: &Sealer) -> DomainResult<()> {
    let check = sealer.seal(CHECK_TEXT, &Binding::key_check());
    Ok(store.set_node_secret(sealer.key_id(), &check).await?)
}

fn binding(column: SealedColumn, row_key: &str) -> Binding {
    match column {
        SealedColumn::OrganisationKey => Binding::organisation_key(row_key),
        SealedColumn::Referral => Binding::referral(row_key),
        SealedColumn::ReferralEvent => {
            let (referral, uid) = row_key.rsplit_once('#').unwrap_or((row_key, ""));
            Binding::referral_event(referral, uid)
        }
        SealedColumn::OutgoingBody => Binding::outgoing(row_key),
        SealedColumn::OutgoingSigningKey => Binding::outgoing_signing_key(row_key),
        SealedColumn::InboxBody => Binding::inbox(row_key),
    }
}

/// Re-seals every stored value that is not sealed with the sealer's current key in the
/// current form, bound to its row. Each value is replaced only if unchanged meanwhile, so the
/// walk can stop anywhere and be run again. `limit` stops it after that many values (to
/// test an interruption). Returns how many values were re-sealed.
pub async fn reseal_all(
    store: &dyn Store,
    sealer: &Sealer,
    limit: Option<u64>,
) -> DomainResult<u64> {
    let prefix = sealer.current_prefix();
    let mut done = 0;
    for column in SealedColumn::ALL {
        let mut after = 0;
        loop {
            let batch = store
                .values_to_reseal(column, &prefix, after, BATCH)
                .await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for value in batch {
                if limit.is_some_and(|limit| done >= limit) {
                    return Ok(done);
                }
                let at = binding(column, &value.row_key);
                let plain = if value.value.starts_with(PREFIX) {
                    sealer.open(&value.value, &at)?
                } else {
                    // Only private keys were ever stored in clear (before version 0.2).
                    value.value.clone()
                };
                let sealed = sealer.seal(&plain, &at);
                if store
                    .replace_sealed(column, value.id, &value.value, &sealed)
                    .await?
                {
                    done += 1;
                }
            }
        }
    }
    Ok(done)
}

/// True when some value is not yet sealed with the sealer's current key.
async fn any_left(store: &dyn Store, sealer: &Sealer) -> DomainResult<bool> {
    let prefix = sealer.current_prefix();
    for column in SealedColumn::ALL {
        if !store
            .values_to_reseal(column, &prefix, 0, 1)
            .await?
            .is_empty()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// What a rotation did.
#[derive(Debug)]
pub struct Rotation {
    pub old_key_id: String,
    pub new_key_id: String,
    pub resealed: u64,
    /// False when it stopped early (see `limit`); running it again finishes it.
    pub finished: bool,
}

/// Replaces the secret key: creates the next key beside the current one, re-seals every
/// value with it, records it in the database, then puts it in place of the old key, which
/// is gone from the disk afterwards. Interrupted anywhere, it is finished by running it
/// again (a node refuses to start meanwhile). The node must be stopped while it runs.
pub async fn rotate(store: &dyn Store, path: &Path, limit: Option<u64>) -> DomainResult<Rotation> {
    let recorded = store.node_secret().await?.ok_or_else(|| {
        DomainError::Invalid(
            "this database has no secret key yet: start the node once first".into(),
        )
    })?;
    let old = read_key(path)?.ok_or_else(|| {
        DomainError::Invalid(format!("the secret key file {} is missing", path.display()))
    })?;
    let next_path = next_key_path(path);
    let next = match read_key(&next_path)? {
        Some(next) => next,
        None => create_key(&next_path)?,
    };
    let (old, next) = (SecretKey::from_bytes(&old), SecretKey::from_bytes(&next));
    let sealer = Sealer::with_keys(next.clone(), vec![old.clone()]);
    // The database must be one of ours: sealed with the old key (or, when a rotation stopped
    // after recording the new key, with the new one).
    check_key(&sealer, &recorded.key_check, path, &recorded.key_id)?;
    let resealed = reseal_all(store, &sealer, limit).await?;
    let mut rotation = Rotation {
        old_key_id: old.id().to_string(),
        new_key_id: next.id().to_string(),
        resealed,
        finished: false,
    };
    if any_left(store, &sealer).await? {
        return Ok(rotation);
    }
    record_key(store, &sealer).await?;
    store.scrub().await?;
    std::fs::rename(&next_path, path).map_err(io_error(path))?;
    sync_dir(path);
    for org in store.list_organisations().await? {
        store
            .record_audit(
                org.id,
                "operator",
                "secret:rotate",
                None,
                &format!(
                    "secret key {} replaced by {}",
                    rotation.old_key_id, rotation.new_key_id
                ),
            )
            .await?;
    }
    rotation.finished = true;
    Ok(rotation)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    sync_dir(path);
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Makes a created or renamed file's directory entry durable (best effort).
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}
