//! The receiving end: check an incoming POST's signature, digest and sender, then store the
//! activity once (by id) for the processor. Nothing slow happens after the check.

use super::activities::{self, Accepted};
use super::actors::{fetch_actor, refetch_actor, RemoteActor};
use super::protocol::{ActivityJson, ObjectRef};
use super::signatures::{self, SignatureError, UnverifiedSignature};
use super::{FedData, FederationError, FederationResult};
use crate::domain::sealing::Binding;
use std::collections::BTreeMap;
use url::Url;

/// An incoming inbox POST as the web layer hands it over.
pub struct IncomingPost {
    pub path_and_query: String,
    /// Header names in lower case.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

/// What became of an accepted POST.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    Stored,
    /// The id was stored before: acknowledged, not stored again.
    Duplicate,
    /// Acknowledged and dropped (a Delete from an actor we never knew).
    Ignored,
}

/// Reads the activity envelope; anything that is not one is a 400 with the parser's reason.
pub fn parse_activity(body: &[u8]) -> FederationResult<ActivityJson<Option<ObjectRef>>> {
    check_json_shape(body).map_err(FederationError::BadRequest)?;
    serde_json::from_slice(body)
        .map_err(|e| FederationError::BadRequest(format!("not an ActivityPub activity: {e}")))
}

/// Deepest nesting of objects and arrays accepted in an activity.
pub const MAX_JSON_DEPTH: usize = 32;
/// Longest single string accepted in an activity, in bytes.
pub const MAX_JSON_STRING: usize = 200 * 1024;

/// Refuses JSON nested deeper than [`MAX_JSON_DEPTH`] or with a string longer than
/// [`MAX_JSON_STRING`], before any parser sees it. (Only the structure is scanned; whether it
/// is valid JSON is the parser's business.)
pub fn check_json_shape(body: &[u8]) -> Result<(), String> {
    // PostgreSQL cannot store NUL in text, and no activity needs one.
    if body.windows(6).any(|w| w == b"\\u0000") || body.contains(&0) {
        return Err("NUL characters are not accepted".into());
    }
    let (mut depth, mut in_string, mut escaped, mut string_len) = (0usize, false, false, 0usize);
    for &byte in body {
        if in_string {
            string_len += 1;
            if string_len > MAX_JSON_STRING {
                return Err(format!("a string is longer than {MAX_JSON_STRING} bytes"));
            }
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                string_len = 0;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(format!("JSON nested deeper than {MAX_JSON_DEPTH} levels"));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Checks and stores one POST; `now` (ms) decides whether a stored key is old enough to be
/// fetched again (see [`verified_signer`]).
pub async fn receive(data: &FedData, post: IncomingPost, now: i64) -> FederationResult<Received> {
    let signature = signatures::parse_signature(
        "POST",
        &post.path_and_query,
        &post.headers,
        true,
        &data.config.domain,
    )
    .map_err(unauthorized)?;
    signatures::verify_digest(post.headers.get("digest"), &post.body).map_err(unauthorized)?;
    let activity = parse_activity(&post.body)?;
    let policy = crate::domain::policy::load(data.store.as_ref()).await?;
    let key_owner = signatures::key_owner_guess(&signature.key_id);
    for url in [Some(&activity.actor), key_owner.as_ref()]
        .into_iter()
        .flatten()
    {
        if !policy.permits_url(url) {
            return Err(FederationError::Forbidden(format!(
                "this node does not federate with {}",
                crate::domain::policy::server_of(url).unwrap_or_default()
            )));
        }
    }
    if !super::same_origin(&activity.id, &activity.actor) {
        return Err(FederationError::Forbidden(
            "activity id and actor are on different servers".into(),
        ));
    }
    // A server deleting an account signs with the key of the account it deletes, which can
    // no longer be fetched; when we never knew that actor there is nothing to delete.
    let self_delete = activities::is_account_delete(&activity);
    if let Some(mark) = data.store.actor_mark(activity.actor.as_str()).await? {
        if self_delete && mark.state == "gone" {
            return Ok(Received::Duplicate);
        }
        return Err(FederationError::Forbidden(format!(
            "this node no longer accepts activities from this actor ({})",
            mark.state
        )));
    }
    let signer_ap_id = if self_delete {
        // The deleted account's key may no longer be served: the cached key decides.
        match signed_with_cached_key(data, &signature, &activity.actor).await? {
            Some(ap_id) => ap_id,
            None => match verified_signer(data, &signature, now).await {
                Ok(signer) => signer.row.ap_id,
                Err(_) => return Ok(Received::Ignored),
            },
        }
    } else {
        verified_signer(data, &signature, now).await?.row.ap_id
    };
    if signer_ap_id != activity.actor.as_str() {
        return Err(FederationError::Forbidden(
            "activity is signed by a different actor than its actor".into(),
        ));
    }
    let body = String::from_utf8(post.body)
        .map_err(|_| FederationError::BadRequest("body is not UTF-8".into()))?;
    // What is not public (referrals, messages, private posts) is stored encrypted.
    let body = if activity.is_public() {
        body
    } else {
        data.sealer
            .seal(&body, &Binding::inbox(activity.id.as_str()))
    };
    let (id, actor, kind) = (
        activity.id.as_str(),
        activity.actor.as_str(),
        &activity.kind,
    );
    let accepted = activities::classify(data.store.as_ref(), &activity).await?;
    if accepted.applied_while_sender_waits() {
        // Applied while the sender waits, so it hears at once when the rules refuse it;
        // stored afterwards, already done, only to recognise a replay.
        if data.store.inbox_activity_seen(id).await? {
            return Ok(Received::Duplicate);
        }
        activities::apply(data, &activity, accepted).await?;
        // A referral refused at the door leaves nothing personal here, not even sealed.
        let refused = accepted == Accepted::ReferralOffer
            && data.store.referral_by_offer_activity(id).await?.is_none();
        let kept = if refused { "" } else { body.as_str() };
        data.store
            .insert_inbox_activity(id, actor, kind, kept, "done")
            .await?;
        return Ok(Received::Stored);
    }
    let stored = data
        .store
        .insert_inbox_activity(id, actor, kind, &body, "pending")
        .await?;
    if stored {
        data.wake_inbox.notify_one();
        Ok(Received::Stored)
    } else {
        Ok(Received::Duplicate)
    }
}

fn unauthorized(e: SignatureError) -> FederationError {
    FederationError::Unauthorized(e.to_string())
}

/// The actor id when the signature verifies with the key we stored for `actor` (without
/// fetching anything); `None` when we hold no such key or it does not verify.
async fn signed_with_cached_key(
    data: &FedData,
    signature: &UnverifiedSignature,
    actor: &Url,
) -> FederationResult<Option<String>> {
    let cached = data.store.remote_actor_by_key_id(&signature.key_id).await?;
    Ok(cached
        .filter(|row| row.ap_id == actor.as_str())
        .filter(|row| signature.verify(&row.public_key_pem).is_ok())
        .map(|row| row.ap_id))
}

/// A stored key this recent is trusted: a signature it does not verify is refused without
/// fetching the actor again, so forged signatures cannot make this node fetch on demand
/// (each one would otherwise cost a request to the claimed signer's server).
pub const KEY_REFETCH_AFTER_MS: i64 = 3600 * 1000;
/// A stored actor older than this is fetched again before its key is used, so a key its
/// owner replaced (after a leak, say) stops verifying within a day.
pub const KEY_MAX_AGE_MS: i64 = 24 * 3600 * 1000;

/// The actor whose key made this signature, at time `now` (ms). A stored key that fails is
/// fetched again once, for an actor that rotated it, but only when the stored copy is at least
/// [`KEY_REFETCH_AFTER_MS`] old; a fresher copy that fails means the signature is refused.
pub async fn verified_signer(
    data: &FedData,
    signature: &UnverifiedSignature,
    now: i64,
) -> FederationResult<RemoteActor> {
    let owner = signatures::key_owner_guess(&signature.key_id)
        .ok_or_else(|| unauthorized(SignatureError::Malformed("keyId is not a URL".into())))?;
    let here = Url::parse(data.urls.base())
        .map_err(|e| FederationError::Remote(format!("this node's base URL: {e}")))?;
    if super::same_origin(&owner, &here) {
        // Nobody else holds this node's keys; a request claiming one is forged.
        return Err(unauthorized(SignatureError::Invalid));
    }
    // A cached key counts only when its actor lives where the key id says; failing that, the
    // actor the key id names, whose key id may have changed.
    let cached = data
        .store
        .remote_actor_by_key_id(&signature.key_id)
        .await?
        .filter(|row| Url::parse(&row.ap_id).is_ok_and(|id| super::same_origin(&id, &owner)));
    let stored = match cached {
        Some(row) => Some(row),
        None => data.store.remote_actor_by_ap_id(owner.as_str()).await?,
    };
    let actor = match stored {
        Some(row) if now - row.fetched_at < KEY_MAX_AGE_MS => RemoteActor::from_row(row)?,
        Some(row) => refetch_actor(data, &Url::parse(&row.ap_id).map_err(bad_stored)?).await?,
        None => fetch_actor(data, &owner).await?,
    };
    match signature.verify(&actor.row.public_key_pem) {
        Ok(()) if actor.row.key_id == signature.key_id => return Ok(actor),
        // No key verifies a signature that is not even base64: nothing to fetch.
        Err(malformed @ SignatureError::Malformed(_)) => return Err(unauthorized(malformed)),
        _ => {}
    }
    if now - actor.row.fetched_at < KEY_REFETCH_AFTER_MS {
        return Err(unauthorized(SignatureError::KeyRecentlyFetched));
    }
    let fresh = refetch_actor(data, &Url::parse(&actor.row.ap_id).map_err(bad_stored)?).await?;
    if !signs(&fresh, signature) {
        return Err(unauthorized(SignatureError::Invalid));
    }
    Ok(fresh)
}

/// True when `actor` holds the key the signature names and the signature verifies with it.
fn signs(actor: &RemoteActor, signature: &UnverifiedSignature) -> bool {
    actor.row.key_id == signature.key_id && signature.verify(&actor.row.public_key_pem).is_ok()
}

fn bad_stored(e: url::ParseError) -> FederationError {
    FederationError::Remote(format!("stored actor id is not a URL: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_limits() {
        assert!(check_json_shape(br#"{"a":[1,{"b":"x\"]]]"}]}"#).is_ok());
        let deep = "[".repeat(MAX_JSON_DEPTH + 1) + &"]".repeat(MAX_JSON_DEPTH + 1);
        assert!(check_json_shape(deep.as_bytes())
            .unwrap_err()
            .contains("nested"));
        let ok_deep = "[".repeat(MAX_JSON_DEPTH) + &"]".repeat(MAX_JSON_DEPTH);
        assert!(check_json_shape(ok_deep.as_bytes()).is_ok());
        let long = format!(r#"{{"a":"{}"}}"#, "x".repeat(MAX_JSON_STRING + 1));
        assert!(check_json_shape(long.as_bytes())
            .unwrap_err()
            .contains("longer"));
    }
}
