//! Rotating keys: the node's secret key (`gotong secret rotate`, interrupted and resumed) and
//! an organisation's signing key (announced to referral parties, used for fetches at once).

mod common;

use common::two_parties::{casework, CANARY};
use common::{eventually, follow, tempdir, Backend, TestNode};
use gotong::db::SealedColumn;
use gotong::domain::sealing::{Sealer, SecretKey};
use gotong::domain::secret_key;

on_both_databases!(
    an_interrupted_secret_rotation_finishes_and_only_the_new_key_opens_anything,
    a_new_organisation_key_reaches_referral_parties_and_signs_fetches_at_once,
);

/// Every sealed value of the node, with its column and row key.
async fn all_sealed(node: &TestNode) -> Vec<(SealedColumn, String, String)> {
    let mut all = Vec::new();
    for column in SealedColumn::ALL {
        // No value starts with this prefix, so every value is listed.
        for v in node
            .store
            .values_to_reseal(column, "nothing-starts-so", 0, 10_000)
            .await
            .expect("q")
        {
            all.push((column, v.row_key, v.value));
        }
    }
    all
}

fn binding(column: SealedColumn, row: &str) -> gotong::domain::sealing::Binding {
    use gotong::domain::sealing::Binding;
    match column {
        SealedColumn::OrganisationKey => Binding::organisation_key(row),
        SealedColumn::Referral => Binding::referral(row),
        SealedColumn::ReferralEvent => {
            let (referral, uid) = row.rsplit_once('#').expect("event key");
            Binding::referral_event(referral, uid)
        }
        SealedColumn::OutgoingBody => Binding::outgoing(row),
        SealedColumn::OutgoingSigningKey => Binding::outgoing_signing_key(row),
        SealedColumn::InboxBody => Binding::inbox(row),
    }
}

async fn an_interrupted_secret_rotation_finishes_and_only_the_new_key_opens_anything(
    backend: Backend,
) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let mut s = casework(a, b).await;
    let (id, url) = s.send(1).await;
    s.received(&url).await;
    s.message(id, &format!("{CANARY} before the rotation"))
        .await;
    s.a.stop(true);
    let path = std::path::PathBuf::from(&s.a.config.secret_key_file);
    let old = secret_key::read_key(&path).expect("read").expect("key");
    let before = all_sealed(&s.a).await;
    let columns: Vec<SealedColumn> = before.iter().map(|(c, _, _)| *c).collect();
    for wanted in [
        SealedColumn::OrganisationKey,
        SealedColumn::Referral,
        SealedColumn::ReferralEvent,
        SealedColumn::OutgoingBody,
    ] {
        assert!(columns.contains(&wanted), "the scene has {wanted:?} values");
    }

    // Stopped after three values, as a crash or a kill would stop it.
    let store = s.a.store.clone();
    let partial = secret_key::rotate(store.as_ref(), &path, Some(3))
        .await
        .expect("rotate");
    assert!(!partial.finished);
    assert_eq!(partial.resealed, 3);
    let refused = secret_key::unlock(store.as_ref(), &path)
        .await
        .expect_err("a node does not start mid-rotation");
    assert!(refused.to_string().contains("secret rotate"), "{refused}");

    let done = secret_key::rotate(store.as_ref(), &path, None)
        .await
        .expect("resume");
    assert!(done.finished);
    assert_eq!(done.old_key_id, partial.old_key_id);
    assert_eq!(done.new_key_id, partial.new_key_id, "the same new key");
    assert_eq!(done.resealed as usize, before.len() - 3);
    assert!(!secret_key::next_key_path(&path).exists());
    let new = secret_key::read_key(&path).expect("read").expect("key");
    assert_ne!(new, old);

    let only_new = Sealer::from_key(&new);
    let only_old = Sealer::with_keys(SecretKey::from_bytes(&old), vec![]);
    let after = all_sealed(&s.a).await;
    assert_eq!(after.len(), before.len());
    for (column, row, value) in &after {
        let at = binding(*column, row);
        assert!(only_new.open(value, &at).is_ok(), "{column:?} {row}");
        assert!(only_old.open(value, &at).is_err(), "{column:?} {row}");
    }
    // Positive control: the same probe opens the values as they were with the old key.
    for (column, row, value) in &before {
        assert!(only_old.open(value, &binding(*column, row)).is_ok());
    }

    s.a.start_again();
    let (status, view) =
        s.a.api_as(&s.a_case, "GET", &format!("/api/v1/referrals/{id}"), None)
            .await;
    assert_eq!(status, 200, "{view}");
    assert!(view["content"]["needs"]
        .as_str()
        .is_some_and(|n| n.contains(CANARY)));
    let (_, audit) = s.a.api("GET", "/api/v1/admin/audit", None).await;
    assert!(audit.to_string().contains("secret:rotate"), "{audit}");
    // The node signs with its (re-sealed) organisation key: a message still arrives.
    s.message(id, "after the rotation").await;
    let b_id = s.received(&url).await;
    eventually(10, "the message reaches the receiver", || async {
        let (_, view) =
            s.b.api_as(&s.b_case, "GET", &format!("/api/v1/referrals/{b_id}"), None)
                .await;
        view.to_string()
            .contains("after the rotation")
            .then_some(())
    })
    .await;
}

async fn a_new_organisation_key_reaches_referral_parties_and_signs_fetches_at_once(
    backend: Backend,
) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    // Bravo serves its collections to signed requests only, so alpha's fetches must verify.
    let b = TestNode::start_with(backend, dir.path(), "bravo", |c| c.authorized_fetch = true).await;
    let s = casework(a, b).await;
    let (_, url) = s.send(1).await;
    s.received(&url).await;
    let cached = |node: &TestNode, actor: String| {
        let store = node.store.clone();
        async move {
            store
                .remote_actor_by_ap_id(&actor)
                .await
                .expect("q")
                .map(|r| r.public_key_pem)
        }
    };
    let old = cached(&s.b, s.a.actor.clone())
        .await
        .expect("bravo knows alpha");
    assert!(
        s.a.store
            .list_follows(gotong::db::actors::Direction::Followers, 1)
            .await
            .expect("q")
            .is_empty(),
        "bravo does not follow alpha: only the open referral connects them"
    );

    let (status, body) = s.a.api("POST", "/api/v1/admin/rotate-key", None).await;
    assert_eq!(status, 200, "{body}");
    let new =
        s.a.store
            .organisation_by_handle("alpha")
            .await
            .expect("q")
            .expect("org")
            .public_key_pem;
    assert_ne!(new, old);
    eventually(10, "the referral party learns the new key", || async {
        (cached(&s.b, s.a.actor.clone()).await.as_deref() == Some(new.as_str())).then_some(())
    })
    .await;

    // Alpha's next fetch from bravo is signed with the new key: a new program of bravo's
    // reaches alpha through a signed backfill after a fresh follow.
    let (status, _) =
        s.a.api(
            "DELETE",
            &format!("/api/v1/following?actor={}", s.b.actor),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let program = serde_json::json!({ "name": "Second clinic", "themes": ["health"] });
    let (status, created) = s.b.api("POST", "/api/v1/programs", Some(program)).await;
    assert_eq!(status, 201, "{created}");
    let second = created["url"].as_str().expect("url").to_string();
    follow(&s.a, &s.b).await;
    eventually(15, "the backfill's signed fetches verify", || async {
        s.a.store
            .post_by_ap_id(&second)
            .await
            .expect("q")
            .map(|_| ())
    })
    .await;
}
