//! What someone holding a copy of a node's database learns, and what tampering with it does:
//! no private key and no personal field in clear (files, WAL, dumps), sealed values that do
//! not open in another row, a node that refuses another secret key, and the upgrade of values
//! sealed by earlier versions.

mod common;

use common::two_parties::{casework, contains, database_copy, execute, pem_lines, CANARY};
use common::{publish, tempdir, Backend, TestNode};
use gotong::db::SealedColumn;
use gotong::domain::sealing::{seal_v1_for_tests, Binding, Sealer};
use gotong::domain::{casework as cases, organisations, secret_key};

on_both_databases!(
    a_copy_of_the_database_holds_no_private_key_and_no_personal_field,
    sealed_values_moved_to_another_row_do_not_open,
    a_node_refuses_to_start_with_another_secret_key_or_none,
    values_sealed_by_earlier_versions_are_sealed_anew_at_start,
);

async fn a_copy_of_the_database_holds_no_private_key_and_no_personal_field(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let s = casework(a, b).await;
    let (id, url) = s.send(1).await;
    s.received(&url).await;
    s.message(id, &format!("{CANARY} message")).await;
    publish(&s.a, "PUBLICMARK public update").await;
    for node in [&s.a, &s.b] {
        let copy = database_copy(node);
        let org = node
            .store
            .organisation_by_handle(&node.handle)
            .await
            .expect("q")
            .expect("org");
        // The probe sees what is stored in clear: the public key, and public posts.
        assert!(
            pem_lines(&org.public_key_pem)
                .iter()
                .all(|l| contains(&copy, l)),
            "{}: the probe finds the public key",
            node.name
        );
        if node.name == "alpha" {
            assert!(
                contains(&copy, "PUBLICMARK"),
                "the probe finds a public post"
            );
        }
        let private = node.private_key().await;
        let leaked: Vec<String> = pem_lines(&private)
            .into_iter()
            .filter(|l| contains(&copy, l))
            .collect();
        assert!(leaked.is_empty(), "{}: private key in clear", node.name);
        assert!(
            !contains(&copy, CANARY),
            "{}: a personal field in clear",
            node.name
        );
    }
}

async fn sealed_values_moved_to_another_row_do_not_open(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let s = casework(a, b).await;
    let (first, url) = s.send(1).await;
    let (second, _) = s.send(2).await;
    s.received(&url).await;
    s.message(first, &format!("{CANARY} message")).await;
    let path = |id: i64| format!("/api/v1/referrals/{id}");
    // Positive control: both open before anything is moved.
    for id in [first, second] {
        let (status, view) = s.a.api_as(&s.a_case, "GET", &path(id), None).await;
        assert_eq!(status, 200, "{view}");
        assert!(view["content"]["needs"]
            .as_str()
            .is_some_and(|n| n.contains(CANARY)));
    }
    execute(
        &s.a,
        &format!(
            "UPDATE referrals SET sealed = (SELECT sealed FROM referrals WHERE id = {second})
             WHERE id = {first}"
        ),
    )
    .await;
    let (status, body) = s.a.api_as(&s.a_case, "GET", &path(first), None).await;
    assert_eq!(status, 500, "another row's value is refused: {body}");
    assert!(!body.to_string().contains(CANARY));
    let row =
        s.a.store
            .referral_by_id(gotong::db::ReferralId(first))
            .await
            .expect("q")
            .expect("row");
    assert!(cases::open(s.a.store.as_ref(), &s.a.sealer(), &row)
        .await
        .is_err());

    // A message moved into the referral column of the second referral: another column.
    execute(
        &s.a,
        &format!(
            "UPDATE referrals SET sealed = (SELECT sealed FROM referral_events
               WHERE referral_id = {first} AND sealed IS NOT NULL ORDER BY id LIMIT 1)
             WHERE id = {second}"
        ),
    )
    .await;
    assert_eq!(
        s.a.api_as(&s.a_case, "GET", &path(second), None).await.0,
        500
    );

    // One organisation's key copied to another's row does not open there.
    let sealer = s.a.sealer();
    let other = organisations::create_organisation(s.a.store.as_ref(), &sealer, "other", "Other")
        .await
        .expect("second organisation");
    assert!(organisations::signing_key(&sealer, &other).is_ok());
    execute(
        &s.a,
        &format!(
            "UPDATE organisations SET private_key_sealed =
               (SELECT private_key_sealed FROM organisations WHERE handle = 'alpha')
             WHERE id = {}",
            other.id
        ),
    )
    .await;
    let moved = s.a.store.organisation_by_id(other.id).await.expect("q");
    assert!(organisations::signing_key(&sealer, &moved).is_err());
}

async fn a_node_refuses_to_start_with_another_secret_key_or_none(backend: Backend) {
    let dir = tempdir();
    let mut a = TestNode::start(backend, dir.path(), "alpha").await;
    a.stop(true);
    let path = std::path::PathBuf::from(&a.config.secret_key_file);
    let right = std::fs::read(&path).expect("key");
    let start = |config: gotong::config::Config| async move {
        let store = gotong::db::connect(&config.database_url).await.expect("db");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        // A node that starts serves until the future below completes: it never does, so
        // only a refusal returns.
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            gotong::node::serve(config, store, listener, std::future::pending()),
        )
        .await
    };
    std::fs::remove_file(&path).expect("remove");
    secret_key::create_key(&path).expect("another key");
    let refused = start(a.config.clone()).await.expect("returns at once");
    let message = refused.expect_err("refused").to_string();
    assert!(
        message.contains("is not the key this database was sealed with"),
        "{message}"
    );
    std::fs::remove_file(&path).expect("remove");
    let refused = start(a.config.clone()).await.expect("returns at once");
    let message = refused.expect_err("refused").to_string();
    assert!(message.contains("is missing"), "{message}");
    assert!(!path.exists(), "no new key is made for a sealed database");
    // Positive control: with its own key the node starts (and keeps serving).
    std::fs::write(&path, right).expect("restore");
    assert!(start(a.config.clone()).await.is_err(), "still serving");
    a.start_again();
    let (status, _) = a.api("GET", "/api/v1/me", None).await;
    assert_eq!(status, 200);
}

async fn values_sealed_by_earlier_versions_are_sealed_anew_at_start(backend: Backend) {
    let dir = tempdir();
    let a = TestNode::start(backend, dir.path(), "alpha").await;
    let b = TestNode::start(backend, dir.path(), "bravo").await;
    let mut s = casework(a, b).await;
    let (id, url) = s.send(1).await;
    s.received(&url).await;
    s.message(id, &format!("{CANARY} message")).await;
    let pem = s.a.private_key().await;
    s.a.stop(true);
    // As version 0.1 left it: the key in clear, referral values sealed without a binding.
    let sealer = s.a.sealer();
    let key = secret_key::read_key(std::path::Path::new(&s.a.config.secret_key_file))
        .expect("read")
        .expect("key");
    let row =
        s.a.store
            .referral_by_id(gotong::db::ReferralId(id))
            .await
            .expect("q")
            .expect("row");
    let content = sealer
        .open(
            row.sealed.as_deref().expect("sealed"),
            &Binding::referral(&url),
        )
        .expect("open");
    let old = seal_v1_for_tests(&key, &content);
    execute(
        &s.a,
        &format!("UPDATE organisations SET private_key_sealed = '{pem}'"),
    )
    .await;
    execute(
        &s.a,
        &format!("UPDATE referrals SET sealed = '{old}' WHERE id = {id}"),
    )
    .await;
    execute(&s.a, "DELETE FROM node_secret").await;
    if backend == Backend::Sqlite {
        assert!(
            contains(&database_copy(&s.a), &pem_lines(&pem)[3]),
            "positive control: the probe finds a key stored in clear"
        );
    }

    s.a.start_again();
    let (status, view) =
        s.a.api_as(&s.a_case, "GET", &format!("/api/v1/referrals/{id}"), None)
            .await;
    assert_eq!(status, 200, "{view}");
    assert!(view["content"]["needs"]
        .as_str()
        .is_some_and(|n| n.contains(CANARY)));
    let prefix = Sealer::from_key(&key).current_prefix();
    for column in SealedColumn::ALL {
        let left =
            s.a.store
                .values_to_reseal(column, &prefix, 0, 10)
                .await
                .expect("q");
        assert!(left.is_empty(), "{column:?}: {left:?}");
    }
    assert_eq!(s.a.private_key().await, pem, "the same key, now sealed");
    let copy = database_copy(&s.a);
    assert!(
        pem_lines(&pem).iter().all(|l| !contains(&copy, l)),
        "no copy of the key in clear is left in the files"
    );
    // And the node still signs: a message reaches the receiver.
    s.message(id, "after the upgrade").await;
    s.a.stop(true);
}
