//! SSRF: the HTTP client outside development mode, a production node asked to fetch a key or
//! deliver to an internal address, and every special-purpose address range.

use super::harness::*;
use crate::common::{eventually, publish, tempdir};
use crate::common::{Backend, TestNode};
use serde_json::Value;
use std::time::Duration;

// SSRF: the HTTP client outside development mode

fn production_client() -> reqwest::Client {
    gotong::federation::http_client(&gotong::config::Config {
        dev: false,
        http_timeout_secs: 5,
        ..Default::default()
    })
    .expect("client")
}

#[tokio::test]
async fn client_refuses_a_name_resolving_to_loopback() {
    let recorder = Fake::start().await;
    let result = production_client()
        .get(format!("http://localhost:{}/admin", recorder.port))
        .send()
        .await;
    let err = result.expect_err("localhost must not be reached");
    assert!(format!("{err:?}").contains("127.0.0.1") || format!("{err:?}").contains("::1"));
    assert_eq!(recorder.connections(), 0);
}

#[tokio::test]
async fn client_refuses_loopback_names_spelt_otherwise() {
    let recorder = Fake::start().await;
    for name in ["LOCALHOST.", "LocalHost", "localhost."] {
        let result = production_client()
            .get(format!("http://{name}:{}/admin", recorder.port))
            .send()
            .await;
        assert!(result.is_err(), "{name} must not be reached");
    }
    assert_eq!(recorder.connections(), 0);
}

/// A server on 127.0.0.1 whose every answer redirects to `location`; the client fetches it
/// by address (which the resolver does not see) to test the redirect alone.
async fn redirect_via(client: reqwest::Client, status: u16, location: &str) -> u16 {
    let redirector = Fake::start().await;
    redirector.reply("/start", status, &[("location", location)], "");
    let response = client
        .get(format!("http://127.0.0.1:{}/start", redirector.port))
        .send()
        .await
        .expect("the redirect itself is answered");
    response.status().as_u16()
}

#[tokio::test]
async fn client_does_not_follow_a_redirect_to_a_loopback_address() {
    let recorder = Fake::start().await;
    let location = format!("http://127.0.0.1:{}/secret", recorder.port);
    assert_eq!(redirect_via(production_client(), 302, &location).await, 302);
    assert_eq!(recorder.connections(), 0);
}

#[tokio::test]
async fn client_does_not_follow_a_redirect_to_a_loopback_name() {
    let recorder = Fake::start().await;
    let location = format!("http://localhost:{}/secret", recorder.port);
    assert_eq!(redirect_via(production_client(), 301, &location).await, 301);
    assert_eq!(recorder.connections(), 0);
}

#[tokio::test]
async fn dev_client_does_not_follow_redirects_either() {
    let recorder = Fake::start().await;
    let client = gotong::federation::http_client(&gotong::config::Config {
        dev: true,
        http_timeout_secs: 5,
        ..Default::default()
    })
    .expect("client");
    let location = format!("http://127.0.0.1:{}/secret", recorder.port);
    assert_eq!(redirect_via(client, 308, &location).await, 308);
    assert_eq!(recorder.connections(), 0);
}

// SSRF: a production node asked to fetch a signer's key from an internal address

/// A node outside development mode (its ids are https; the tests talk to it over http).
async fn production_node(dir: &std::path::Path) -> TestNode {
    let mut node = TestNode::start_with(Backend::Sqlite, dir, "bravo", |c| c.dev = false).await;
    node.base = format!("http://{}", node.domain);
    node
}

/// Posts to a production node an activity whose actor and key live at `actor` (`{rec}`
/// stands for a recorder's port). Answers status, error and the recorder's connections.
async fn key_on(actor: &str) -> (u16, Value, usize) {
    let dir = tempdir();
    let b = production_node(dir.path()).await;
    let recorder = Fake::start().await;
    let actor = actor.replace("{rec}", &recorder.port.to_string());
    let was = before(&b).await;
    let body = fake_follow(&actor, &b, "ssrf");
    let (status, err) = post_as(&format!("{actor}#main-key"), &keys(1).1, &b, &body).await;
    unchanged(&b, &was).await;
    assert!(b
        .store
        .remote_actor_by_ap_id(&actor)
        .await
        .expect("q")
        .is_none());
    tokio::time::sleep(Duration::from_millis(300)).await;
    (status, err, recorder.connections())
}

/// The key is not fetched: refused as the sender's fault (4xx, not an outage to retry: a
/// 502 until issue 6), nothing connected to, nothing stored.
#[track_caller]
fn key_refused(answer: (u16, Value, usize)) {
    let (status, err, connections) = answer;
    assert_eq!(connections, 0, "nothing may be fetched: {status} {err}");
    assert!((400..500).contains(&status), "{status} {err}");
    assert!(
        err["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_loopback_address() {
    key_refused(key_on("https://127.0.0.1:{rec}/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_private_network_address() {
    key_refused(key_on("https://10.0.0.1/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_the_cloud_metadata_address() {
    key_refused(key_on("https://169.254.169.254/latest/meta-data").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_the_ipv6_loopback() {
    key_refused(key_on("https://[::1]/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_an_ipv4_mapped_loopback() {
    key_refused(key_on("https://[::ffff:127.0.0.1]:{rec}/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_name_resolving_to_loopback() {
    key_refused(key_on("https://localhost/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_a_loopback_name_with_a_port() {
    key_refused(key_on("https://localhost:{rec}/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_over_plain_http() {
    key_refused(key_on("http://localhost:{rec}/actor").await);
}

// SSRF: a production node delivering to a follower's internal inbox

/// A production node with one follower whose inbox (or shared inbox) is `inbox` (`{rec}`
/// stands for a recorder's port) publishes a post. Answers the destination's state once
/// the delivery was tried, and the recorder's connections.
async fn deliver_to(inbox: &str, shared: bool) -> (gotong::db::DestinationState, usize) {
    let dir = tempdir();
    let b = production_node(dir.path()).await;
    let recorder = Fake::start().await;
    let inbox = inbox.replace("{rec}", &recorder.port.to_string());
    if shared {
        add_follower(
            &b,
            "internal",
            "https://remote.invalid/users/internal/inbox",
            Some(&inbox),
        )
        .await;
    } else {
        add_follower(&b, "internal", &inbox, None).await;
    }
    publish(&b, "Hello followers").await;
    let state = eventually(15, "the delivery is tried", || async {
        let states = b.store.destination_states().await.expect("q");
        states
            .into_iter()
            .find(|d| d.inbox == inbox && (d.failed > 0 || d.last_error.is_some()))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    (state, recorder.connections())
}

#[track_caller]
fn delivery_refused(answer: (gotong::db::DestinationState, usize), says: &str) {
    let (state, connections) = answer;
    assert_eq!(connections, 0, "nothing may be sent: {state:?}");
    assert_eq!(state.delivered, 0, "{state:?}");
    let error = state.last_error.clone().unwrap_or_default();
    assert!(error.contains(says), "{error:?} should say {says:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_over_plain_http_to_a_private_network() {
    delivery_refused(
        deliver_to("http://10.0.0.1/inbox", false).await,
        "not https",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_private_network_address() {
    delivery_refused(
        deliver_to("https://10.0.0.1/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_cloud_metadata_address() {
    delivery_refused(
        deliver_to("https://169.254.169.254/latest/meta-data/", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_loopback_address() {
    delivery_refused(
        deliver_to("https://127.0.0.1:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_ipv6_loopback() {
    delivery_refused(
        deliver_to("https://[::1]:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_unspecified_address() {
    delivery_refused(
        deliver_to("https://0.0.0.0:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_decimal_encoded_loopback() {
    delivery_refused(
        deliver_to("https://2130706433:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_name_resolving_to_loopback() {
    let (state, connections) = deliver_to("https://localhost:{rec}/inbox", false).await;
    assert_eq!(state.delivered, 0, "{state:?}");
    assert!(state.last_error.is_some(), "{state:?}");
    assert_eq!(connections, 0, "the resolver refuses loopback");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_a_shared_inbox_on_a_private_network() {
    delivery_refused(
        deliver_to("https://10.1.2.3/inbox", true).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_an_ipv4_mapped_loopback() {
    delivery_refused(
        deliver_to("https://[::ffff:127.0.0.1]:{rec}/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_an_ipv6_unique_local_address() {
    delivery_refused(
        deliver_to("https://[fd00::1]/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_an_ipv6_link_local_address() {
    delivery_refused(
        deliver_to("https://[fe80::1]/inbox", false).await,
        "private address",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_to_the_shared_address_space() {
    delivery_refused(
        deliver_to("https://100.64.0.1/inbox", false).await,
        "private address",
    );
}

// SSRF: the remaining special-purpose ranges, literal in an inbox or an actor id

/// One delivery test per range: refused before any connection, as a private address.
macro_rules! delivery_refused_to {
    ($($name:ident: $inbox:expr;)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                delivery_refused(deliver_to($inbox, false).await, "private address");
            }
        )*
    };
}

delivery_refused_to! {
    delivery_to_this_network_0_0_0_0_8: "https://0.1.2.3:{rec}/inbox";
    delivery_to_ipv4_multicast: "https://224.0.0.251/inbox";
    delivery_to_ipv4_reserved_240_0_0_0_4: "https://240.0.0.1/inbox";
    delivery_to_the_limited_broadcast_address: "https://255.255.255.255/inbox";
    delivery_to_cgnat_upper_edge: "https://100.127.255.254/inbox";
    delivery_to_ietf_protocol_assignments: "https://192.0.0.170/inbox";
    delivery_to_the_benchmarking_range: "https://198.19.0.1/inbox";
    delivery_to_ipv4_documentation_test_net_1: "https://192.0.2.10/inbox";
    delivery_to_ipv4_documentation_test_net_2: "https://198.51.100.10/inbox";
    delivery_to_ipv4_documentation_test_net_3: "https://203.0.113.10/inbox";
    delivery_to_ipv6_multicast: "https://[ff02::1]/inbox";
    delivery_to_nat64_embedding_loopback: "https://[64:ff9b::7f00:1]:{rec}/inbox";
    delivery_to_nat64_embedding_a_private_address: "https://[64:ff9b::a00:1]/inbox";
    delivery_to_6to4_embedding_loopback: "https://[2002:7f00:1::1]:{rec}/inbox";
    delivery_to_6to4_embedding_a_private_address: "https://[2002:c0a8:101::1]/inbox";
    delivery_to_ipv6_documentation: "https://[2001:db8::1]/inbox";
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_the_benchmarking_range() {
    key_refused(key_on("https://198.18.0.1/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_ietf_protocol_assignments() {
    key_refused(key_on("https://192.0.0.9/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_nat64_embedding_a_private_address() {
    key_refused(key_on("https://[64:ff9b::a00:1]/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_on_ipv6_multicast() {
    key_refused(key_on("https://[ff0e::1]/actor").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_nat64_and_6to4_addresses_are_not_refused() {
    use gotong::federation::addresses::non_public;
    for public in [
        "64:ff9b::808:808",
        "2002:808:808::1",
        "198.20.0.1",
        "192.0.1.1",
    ] {
        assert!(!non_public(public.parse().expect("ip")), "{public}");
    }
}
