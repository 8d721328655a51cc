//! Fuzzes what the inbox does with a POST before any network or database: the JSON shape
//! limits, the activity parser, the signature header parser and verifier, the digest check.
//! The per-input logic is in `../inbox_case.rs`, which tests/fuzz_corpus.rs replays.

#![no_main]

use libfuzzer_sys::fuzz_target;

include!("../inbox_case.rs");

fuzz_target!(|data: &[u8]| {
    inbox_case(data);
});
