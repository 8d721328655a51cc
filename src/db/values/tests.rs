//! Every stored word reads back as its variant, from a real SQLite database, and a word no
//! variant spells is refused with an error (each time with the known word as the control).

use super::*;
use crate::db::{connect, NewEvent, NewOrganisation, NewReferral, Store};
use std::sync::Arc;

/// Each variant's word round-trips through `as_str`/`from_stored`; an unknown word is `None`.
fn round_trips<T: Copy + PartialEq + std::fmt::Debug>(
    all: &[T],
    as_str: fn(T) -> &'static str,
    from_stored: fn(&str) -> Option<T>,
) {
    for v in all {
        assert_eq!(from_stored(as_str(*v)), Some(*v));
    }
    assert_eq!(from_stored("bogus"), None);
    assert_eq!(from_stored(""), None);
}

#[test]
fn every_word_names_one_variant() {
    round_trips(
        ReferralStatus::ALL,
        ReferralStatus::as_str,
        ReferralStatus::from_stored,
    );
    round_trips(Side::ALL, Side::as_str, Side::from_stored);
    round_trips(Urgency::ALL, Urgency::as_str, Urgency::from_stored);
    round_trips(EventKind::ALL, EventKind::as_str, EventKind::from_stored);
    // The words as the schema has always stored them (no migration changes them).
    assert_eq!(ReferralStatus::InProgress.as_str(), "in_progress");
    assert_eq!(Side::Receiver.as_str(), "receiver");
    assert_eq!(Urgency::Emergency.as_str(), "emergency");
    assert_eq!(EventKind::Message.as_str(), "message");
}

/// A fresh SQLite store holding one organisation (in a directory that lives as long as the
/// returned guard).
async fn store() -> (tempfile::TempDir, Arc<dyn Store>, i64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/values.db", dir.path().display());
    let store = connect(&url).await.expect("store");
    let org = store
        .insert_organisation(NewOrganisation {
            handle: "relief",
            name: "Relief",
            summary: "",
            public_key_pem: "not used here",
            private_key_sealed: "not used here",
        })
        .await
        .expect("organisation");
    (dir, store, org.id)
}

/// Runs raw SQL on the store's database file, as a damaged or foreign row would be written.
async fn corrupt(dir: &tempfile::TempDir, sql: &str) {
    let url = format!("sqlite://{}/values.db", dir.path().display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("pool");
    sqlx::query(sql).execute(&pool).await.expect("corrupt");
    pool.close().await;
}

async fn referral(store: &dyn Store, org: i64) -> ReferralId {
    let row = store
        .insert_referral(NewReferral {
            ap_id: "https://relief.example/referrals/r-1",
            organisation_id: org,
            side: Side::Receiver,
            counterpart: "https://partner.example/o/clinic",
            counterpart_inbox: "https://partner.example/o/clinic/inbox",
            offer_activity: "https://partner.example/activities/offer-1",
            program: None,
            referral_offer: None,
            urgency: Urgency::Emergency,
            status: ReferralStatus::InProgress,
            sealed: "",
        })
        .await
        .expect("referral");
    // What was bound is what is read back, typed.
    assert_eq!(
        (row.side, row.urgency, row.status),
        (
            Side::Receiver,
            Urgency::Emergency,
            ReferralStatus::InProgress
        )
    );
    row.id
}

#[tokio::test]
async fn a_referral_row_reads_typed_and_refuses_unknown_words() {
    let (dir, store, org) = store().await;
    let id = referral(store.as_ref(), org).await;
    let row = store.referral_by_id(id).await.expect("q").expect("row");
    assert_eq!(row.id, id);
    assert_eq!(row.status, ReferralStatus::InProgress);
    // The filter binds the enum: the receiver's referral is found, none as sender.
    let received = store.list_referrals(org, Some(Side::Receiver)).await;
    assert_eq!(received.expect("q").len(), 1);
    let sent = store.list_referrals(org, Some(Side::Sender)).await;
    assert!(sent.expect("q").is_empty());

    for (column, word) in [("status", "bogus"), ("side", "both"), ("urgency", "URGENT")] {
        corrupt(&dir, &format!("UPDATE referrals SET {column} = '{word}'")).await;
        let refused = store.referral_by_id(id).await;
        let message = refused.expect_err(column).to_string();
        assert!(message.contains(word), "{column}: {message}");
        assert!(store.list_referrals(org, None).await.is_err(), "{column}");
        // Put back the stored word: the row reads again (the control).
        let good = match column {
            "status" => "in_progress",
            "side" => "receiver",
            _ => "emergency",
        };
        corrupt(&dir, &format!("UPDATE referrals SET {column} = '{good}'")).await;
        assert!(store.referral_by_id(id).await.expect("q").is_some());
    }
}

#[tokio::test]
async fn an_event_row_reads_typed_and_refuses_unknown_words() {
    let (dir, store, org) = store().await;
    let id = referral(store.as_ref(), org).await;
    let recorded = store
        .record_status(
            id,
            ReferralStatus::Completed,
            true,
            NewEvent {
                referral_id: id,
                uid: "e-1",
                activity: None,
                by_actor: "case",
                kind: EventKind::Status,
                status: Some(ReferralStatus::Completed),
                sealed: None,
            },
        )
        .await;
    assert!(recorded.expect("record"));
    let message = NewEvent {
        referral_id: id,
        uid: "e-2",
        activity: None,
        by_actor: "case",
        kind: EventKind::Message,
        status: None,
        sealed: None,
    };
    assert!(store.add_referral_event(message).await.expect("message"));
    let events = store.referral_events(id).await.expect("events");
    let read: Vec<_> = events.iter().map(|e| (e.kind, e.status)).collect();
    assert_eq!(
        read,
        [
            (EventKind::Status, Some(ReferralStatus::Completed)),
            (EventKind::Message, None)
        ]
    );
    let row = store.referral_by_id(id).await.expect("q").expect("row");
    assert_eq!(row.status, ReferralStatus::Completed);
    assert!(row.ended_at.is_some());

    corrupt(
        &dir,
        "UPDATE referral_events SET kind = 'note' WHERE uid = 'e-2'",
    )
    .await;
    let refused = store.referral_events(id).await.expect_err("unknown kind");
    assert!(refused.to_string().contains("note"), "{refused}");
    corrupt(
        &dir,
        "UPDATE referral_events SET kind = 'message' WHERE uid = 'e-2'",
    )
    .await;
    corrupt(
        &dir,
        "UPDATE referral_events SET status = 'done' WHERE uid = 'e-1'",
    )
    .await;
    let refused = store.referral_events(id).await.expect_err("unknown status");
    assert!(refused.to_string().contains("done"), "{refused}");
}

#[test]
fn follow_states_and_roles_name_one_variant() {
    round_trips(
        FollowState::ALL,
        FollowState::as_str,
        FollowState::from_stored,
    );
    round_trips(Role::ALL, Role::as_str, Role::from_stored);
    assert_eq!(FollowState::Accepted.as_str(), "accepted");
    assert_eq!(Role::Caseworker.as_str(), "caseworker");
}

#[tokio::test]
async fn an_account_row_reads_its_role_and_refuses_an_unknown_one() {
    let (dir, store, org) = store().await;
    let account = crate::db::NewAccount {
        organisation_id: org,
        username: "amira",
        password_hash: None,
        role: Role::Editor,
    };
    assert_eq!(
        store.insert_account(account).await.expect("account").role,
        Role::Editor
    );
    corrupt(&dir, "UPDATE accounts SET role = 'superuser'").await;
    let refused = store
        .account_by_username("amira")
        .await
        .expect_err("unknown role");
    assert!(refused.to_string().contains("superuser"), "{refused}");
    corrupt(&dir, "UPDATE accounts SET role = 'caseworker'").await;
    let row = store
        .account_by_username("amira")
        .await
        .expect("q")
        .expect("row");
    assert_eq!(row.role, Role::Caseworker);
}

#[tokio::test]
async fn a_follow_row_reads_its_state_and_refuses_an_unknown_one() {
    use crate::db::actors::Direction;
    let (dir, store, org) = store().await;
    let actor = store
        .upsert_remote_actor(crate::db::NewRemoteActor {
            ap_id: "https://partner.example/o/clinic",
            kind: "Organization",
            username: "clinic",
            domain: "partner.example",
            name: "Clinic",
            summary: "",
            inbox: "https://partner.example/o/clinic/inbox",
            shared_inbox: None,
            outbox: None,
            followers: None,
            key_id: "https://partner.example/o/clinic#main-key",
            public_key_pem: "not used here",
            url: None,
            icon_url: None,
            directory: None,
        })
        .await
        .expect("actor");
    let follow = store
        .upsert_follow(
            Direction::Following,
            org,
            actor.id,
            "https://relief.example/activities/follow-1",
            FollowState::Pending,
        )
        .await
        .expect("follow");
    assert_eq!(follow.state, FollowState::Pending);
    let accepted = store.count_follows(Direction::Following, org, FollowState::Accepted);
    assert_eq!(accepted.await.expect("count"), 0);
    store
        .set_follow_state(Direction::Following, follow.id, FollowState::Accepted)
        .await
        .expect("accept");
    let accepted = store.count_follows(Direction::Following, org, FollowState::Accepted);
    assert_eq!(accepted.await.expect("count"), 1);

    corrupt(&dir, "UPDATE following SET state = 'maybe'").await;
    let refused = store.list_follows(Direction::Following, org).await;
    let message = refused.expect_err("unknown state").to_string();
    assert!(message.contains("maybe"), "{message}");
    corrupt(&dir, "UPDATE following SET state = 'rejected'").await;
    let rows = store
        .list_follows(Direction::Following, org)
        .await
        .expect("q");
    assert_eq!(rows[0].state, FollowState::Rejected);
}
