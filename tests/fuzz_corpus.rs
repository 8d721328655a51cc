//! Replays the fuzz target's seed corpus (fuzz/corpus/inbox) through the very function the
//! target calls (fuzz/inbox_case.rs), so the inbox's parsing and verification path is checked
//! on every seed by the regular test run, without nightly Rust or cargo-fuzz. A crash input
//! found by fuzzing belongs in that folder too.

include!("../fuzz/inbox_case.rs");

use std::time::{Duration, Instant};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/inbox");
/// Generous for a debug build; each seed takes milliseconds.
const PER_INPUT: Duration = Duration::from_secs(5);

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(CORPUS)
        .expect("the seed corpus")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string();
            (name, std::fs::read(&path).expect("seed"))
        })
        .collect();
    seeds.sort();
    seeds
}

fn run(name: &str, data: &[u8]) -> InboxCase {
    let started = Instant::now();
    let case = std::panic::catch_unwind(|| inbox_case(data))
        .unwrap_or_else(|_| panic!("seed {name} makes the inbox path panic"));
    assert!(
        started.elapsed() < PER_INPUT,
        "seed {name} took {:?}",
        started.elapsed()
    );
    case
}

#[test]
fn every_seed_runs_without_panicking_and_in_time() {
    let seeds = seeds();
    assert!(seeds.len() >= 12, "a dozen seeds at least: {}", seeds.len());
    for (name, data) in &seeds {
        run(name, data);
    }
}

#[test]
fn seeds_reach_what_they_are_named_for() {
    let seeds: std::collections::BTreeMap<String, Vec<u8>> = seeds().into_iter().collect();
    let case = |name: &str| run(name, seeds.get(name).expect(name));

    for signed in [
        "mastodon_follow_signed",
        "mastodon_create_note_signed",
        "lemmy_create_page_signed",
        "gotosocial_update_note_signed",
    ] {
        let outcome = case(signed);
        assert!(outcome.parsed, "{signed}: {outcome:?}");
        assert!(outcome.signature_parsed, "{signed}: {outcome:?}");
        assert!(outcome.digest_ok, "{signed}: {outcome:?}");
        assert!(!outcome.signature_verified, "{signed}: {outcome:?}");
    }
    for unsigned in [
        "mastodon_delete_actor_unsigned",
        "gotosocial_undo_follow_unsigned",
    ] {
        let outcome = case(unsigned);
        assert!(outcome.parsed && !outcome.signature_parsed, "{outcome:?}");
    }
    for too_big in ["deep_nesting_over_limit", "huge_string"] {
        let outcome = case(too_big);
        assert!(
            !outcome.shape_ok && !outcome.parsed,
            "{too_big}: {outcome:?}"
        );
    }
    let at_limit = case("deep_nesting_at_limit");
    assert!(at_limit.shape_ok && at_limit.parsed, "{at_limit:?}");
    for broken in [
        "malformed_truncated",
        "invalid_utf8",
        "lone_surrogate",
        "duplicate_fields",
        "unbalanced_brackets",
        "empty",
    ] {
        let outcome = case(broken);
        assert!(!outcome.parsed, "{broken}: {outcome:?}");
    }
    let escapes = case("escapes_and_brackets_in_strings");
    assert!(escapes.shape_ok && escapes.parsed, "{escapes:?}");
    for odd in [
        "rfc9421_headers",
        "odd_signature_header",
        "signature_missing_fields",
        "stale_date",
        "digest_variants",
    ] {
        let outcome = case(odd);
        assert!(!outcome.signature_verified, "{odd}: {outcome:?}");
    }
    assert!(!case("stale_date").signature_parsed);
    assert!(!case("rfc9421_headers").signature_parsed);
}

#[test]
fn mutations_of_the_seeds_do_not_panic() {
    // A poor fuzzer for the regular run: truncations and byte flips of every seed.
    for (name, data) in seeds() {
        let step = (data.len() / 64).max(1);
        for cut in (0..data.len()).step_by(step) {
            run(&name, &data[..cut]);
            let mut flipped = data.clone();
            flipped[cut] ^= 0x22;
            run(&name, &flipped);
        }
    }
}
