//! The two migration folders define the same tables and columns: a query written once for
//! both backends must find the same schema on each. Only full-text search differs, by design:
//! SQLite's FTS5 tables beside `posts`, PostgreSQL's generated `posts.search` column.

mod common;

use std::collections::BTreeSet;

/// (table, column) pairs of a fresh SQLite database after every migration.
async fn sqlite_schema(url: &str) -> BTreeSet<(String, String)> {
    gotong::db::connect(url).await.expect("migrate SQLite");
    let pool = sqlx::SqlitePool::connect(url).await.expect("connect");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
           AND m.name NOT LIKE 'posts_fts%'",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    rows.into_iter().collect()
}

/// The same for a fresh PostgreSQL database.
async fn postgres_schema(url: &str) -> BTreeSet<(String, String)> {
    gotong::db::connect(url).await.expect("migrate PostgreSQL");
    let pool = sqlx::PgPool::connect(url).await.expect("connect");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'
           AND NOT (table_name = 'posts' AND column_name = 'search')",
    )
    .fetch_all(&pool)
    .await
    .expect("columns");
    rows.into_iter().collect()
}

#[tokio::test]
#[cfg_attr(gotong_no_test_postgres, ignore = "needs GOTONG_TEST_POSTGRES_URL")]
async fn both_migration_folders_define_the_same_tables_and_columns() {
    let dir = common::tempdir();
    let sqlite = common::fresh_database(common::Backend::Sqlite, dir.path(), "schema").await;
    let postgres = common::fresh_database(common::Backend::Postgres, dir.path(), "schema").await;
    let (sqlite, postgres) = (
        sqlite_schema(&sqlite).await,
        postgres_schema(&postgres).await,
    );
    // The probe sees the schema: tables of several migrations are there on both.
    for (table, column) in [
        ("organisations", "private_key_sealed"),
        ("referral_events", "uid"),
        ("node_secret", "key_check"),
    ] {
        let pair = (table.to_string(), column.to_string());
        assert!(
            sqlite.contains(&pair) && postgres.contains(&pair),
            "{pair:?}"
        );
    }
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_postgres:?}"
    );
}
