//! One build-time switch, for the test suite only: when no PostgreSQL test database is named
//! (and this is not CI), the PostgreSQL variants of the test scenarios are marked ignored, so
//! `cargo test` reports them as not run instead of counting them as passed.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(gotong_no_test_postgres)");
    println!("cargo::rerun-if-env-changed=GOTONG_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=CI");
    let url = std::env::var("GOTONG_TEST_POSTGRES_URL").unwrap_or_default();
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    if url.is_empty() && !ci {
        println!("cargo::rustc-cfg=gotong_no_test_postgres");
    }
}
