//! Directory search over 100,000 programs: p50 and p99 latency of typical searches, with a
//! primary-key lookup measured in the same run as the baseline.
//!
//! `cargo bench --bench directory` (SQLite); set GOTONG_TEST_POSTGRES_URL to also measure
//! PostgreSQL. `GOTONG_BENCH_PROGRAMS` changes the size (default 100000).

use gotong::db::{self, DirectoryQuery, Store};
use gotong::domain::objects::{Details, Program};
use gotong::domain::posts::{import, Draft, Visibility};
use gotong::domain::vocab::{COUNTRIES, POPULATIONS, THEMES};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use std::time::{Duration, Instant};

/// Phrases of the field, each in a few percent of programs, so searches for them find a
/// realistic share of the directory.
const PHRASES: &[&str] = &[
    "legal aid",
    "shelter",
    "counselling",
    "case management",
    "hotline",
    "mobile clinic",
    "cash assistance",
    "family tracing",
    "detention monitoring",
    "vocational training",
];

/// A vocabulary of 4,000 made-up words drawn with a Zipf-like skew: a few words are common,
/// most are rare, as in real text (a handful of repeated words would make every search match
/// nearly everything).
struct Vocabulary(Vec<String>);

impl Vocabulary {
    fn new() -> Vocabulary {
        const SYLLABLES: &[&str] = &[
            "ka", "lo", "mi", "ra", "tu", "ne", "sa", "po", "di", "ng", "ha", "ju",
        ];
        let words = (0..4000)
            .map(|i| {
                let (a, b, c) = (i % 12, (i / 12) % 12, (i / 144) % 12);
                format!(
                    "{}{}{}{}",
                    SYLLABLES[a],
                    SYLLABLES[b],
                    SYLLABLES[c],
                    i / 1728
                )
            })
            .collect();
        Vocabulary(words)
    }

    fn words(&self, rng: &mut StdRng, n: usize) -> String {
        let mut out: Vec<&str> = (0..n)
            .map(|_| {
                let skewed = rng.gen::<f64>().powi(3);
                self.0[(skewed * self.0.len() as f64) as usize].as_str()
            })
            .collect();
        if rng.gen_bool(0.3) {
            out.push(PHRASES.choose(rng).unwrap_or(&"legal aid"));
        }
        out.join(" ")
    }
}

const LANGUAGES: &[&str] = &["en", "ms", "th", "fil", "id", "my", "bn", "ne", "vi", "km"];

fn pick<'a>(rng: &mut StdRng, list: &'a [(&'a str, &'a str)], n: usize) -> Vec<String> {
    list.choose_multiple(rng, n)
        .map(|(c, _)| c.to_string())
        .collect()
}

fn program(rng: &mut StdRng, vocabulary: &Vocabulary) -> Draft {
    let region: Vec<(&str, &str)> = COUNTRIES
        .iter()
        .copied()
        .filter(|(c, _)| {
            [
                "AU", "BD", "ID", "KH", "LK", "MM", "MY", "NP", "NZ", "PH", "PK", "TH", "TL", "VN",
                "FJ",
            ]
            .contains(c)
        })
        .collect();
    let (n_themes, n_countries, n_populations) = (
        rng.gen_range(1..4),
        rng.gen_range(1..3),
        rng.gen_range(1..3),
    );
    let details = Program {
        themes: pick(rng, THEMES, n_themes),
        countries: pick(rng, &region, n_countries),
        populations: pick(rng, POPULATIONS, n_populations),
        languages: LANGUAGES
            .choose_multiple(rng, 2)
            .map(|l| l.to_string())
            .collect(),
        areas: vec![vocabulary.words(rng, 1)],
        eligibility: vocabulary.words(rng, 6),
        accepting_referrals: rng.gen_bool(0.5),
        ..Program::default()
    };
    Draft {
        name: vocabulary.words(rng, 4),
        summary: vocabulary.words(rng, 12),
        text: vocabulary.words(rng, 60),
        tags: vec![],
        visibility: Some(Visibility::Public),
        details: Details::Program(details),
    }
}

async fn seed(store: &dyn Store, count: usize) -> anyhow::Result<(String, Duration)> {
    let org = gotong::domain::organisations::create_organisation(
        store,
        &gotong::domain::sealing::Sealer::from_key(&gotong::domain::sealing::SecretKey::generate()),
        "bench",
        "Bench",
    )
    .await?;
    let author = "https://bench.example/o/bench".to_string();
    let mut rng = StdRng::seed_from_u64(7);
    let vocabulary = Vocabulary::new();
    let started = Instant::now();
    let mut first_id = String::new();
    for chunk in 0..count.div_ceil(5_000) {
        let items: Vec<(String, Draft)> = (0..5_000.min(count - chunk * 5_000))
            .map(|i| {
                (
                    format!("https://bench.example/programs/{chunk}-{i}"),
                    program(&mut rng, &vocabulary),
                )
            })
            .collect();
        if first_id.is_empty() {
            first_id = items[0].0.clone();
        }
        import(store, org.id, &author, &items).await?;
    }
    // A running node refreshes the planner's statistics hourly; do it once here too.
    store.optimize().await?;
    Ok((first_id, started.elapsed()))
}

fn queries() -> Vec<(&'static str, DirectoryQuery)> {
    let now = db::now_ms();
    let q = |text: Option<&str>, facets: Vec<(&'static str, &str)>| DirectoryQuery {
        text: text.map(String::from),
        facets: facets
            .into_iter()
            .map(|(f, v)| (f, v.to_string()))
            .collect(),
        now,
        limit: 20,
        ..Default::default()
    };
    vec![
        (
            "text: legal aid Malaysia",
            q(Some("legal aid Malaysia"), vec![]),
        ),
        ("text: shelter", q(Some("shelter"), vec![])),
        (
            "text + filters",
            q(
                Some("clinic"),
                vec![("country", "TH"), ("accepting", "true")],
            ),
        ),
        (
            "filters only",
            q(
                None,
                vec![("theme", "legal-aid"), ("population", "refugees")],
            ),
        ),
        ("browse newest", q(None, vec![])),
    ]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

async fn measure<F, Fut>(runs: usize, mut f: F) -> anyhow::Result<(Duration, Duration)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

async fn bench(label: &str, url: &str, count: usize) -> anyhow::Result<()> {
    let store = db::connect(url).await?;
    let (known_id, seeded) = seed(store.as_ref(), count).await?;
    println!(
        "\n## {label}: {count} programs seeded in {:.1} s",
        seeded.as_secs_f64()
    );
    let (base_p50, base_p99) = measure(500, || async {
        store.post_by_ap_id(&known_id).await?;
        Ok(())
    })
    .await?;
    println!("| query | p50 | p99 | p50 / baseline |");
    println!("|---|---|---|---|");
    println!("| baseline: primary-key lookup | {base_p50:.2?} | {base_p99:.2?} | 1.0 |");
    for (name, query) in queries() {
        let hits = store.search_directory(&query).await?.len();
        let (p50, p99) = measure(200, || async {
            store.search_directory(&query).await?;
            Ok(())
        })
        .await?;
        let ratio = p50.as_secs_f64() / base_p50.as_secs_f64();
        println!("| {name} ({hits} hits) | {p50:.2?} | {p99:.2?} | {ratio:.0} |");
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let count: usize = std::env::var("GOTONG_BENCH_PROGRAMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let dir = std::env::temp_dir().join(format!("gotong-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        bench(
            "SQLite",
            &format!("sqlite://{}/bench.db", dir.display()),
            count,
        )
        .await?;
        let _ = std::fs::remove_dir_all(&dir);
        match std::env::var("GOTONG_TEST_POSTGRES_URL") {
            Ok(server) if !server.is_empty() => {
                let name = format!("gotong_bench_{}", std::process::id());
                let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&server).await?;
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await?;
                let mut url = url::Url::parse(&server)?;
                url.set_path(&format!("/{name}"));
                let result = bench("PostgreSQL", url.as_str(), count).await;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await?;
                result
            }
            _ => {
                println!("\nSKIP PostgreSQL: GOTONG_TEST_POSTGRES_URL is not set");
                Ok(())
            }
        }
    })
}
