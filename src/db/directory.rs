//! The regional directory: ranked full-text search with filters over local and received
//! programs, practices, advocacy notes and referral offers. The filters are shared SQL; the
//! text match is each database's own (SQLite FTS5 in `sqlite.rs`, PostgreSQL `tsvector` in
//! `postgres.rs`).

use super::{DbResult, PostRow};

/// A directory search. Every filter narrows; an empty query lists newest first.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    pub text: Option<String>,
    /// Kinds to include (`program`, `practice`, `advocacy`, `offer`); empty means all four.
    pub kinds: Vec<String>,
    /// Exact facet matches: `("theme", "legal-aid")`, `("country", "MY")`...
    pub facets: Vec<(&'static str, String)>,
    /// Only posts by this actor (its ActivityPub id).
    pub author: Option<String>,
    /// Offers that expired before this instant (Unix ms) are left out.
    pub now: i64,
    pub limit: i64,
    pub offset: i64,
    /// Only posts with a smaller row id (keyset paging of collections).
    pub before: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    #[sqlx(flatten)]
    pub post: PostRow,
    /// Higher is more relevant; 0 when there was no text to match.
    pub rank: f64,
}

#[async_trait::async_trait]
pub trait DirectoryStore {
    async fn search_directory(&self, query: &DirectoryQuery) -> DbResult<Vec<SearchHit>>;
}

/// A value bound to a filter placeholder.
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

const DIRECTORY_KINDS: [&str; 4] = ["program", "practice", "advocacy", "offer"];

/// The WHERE conditions on `p` (the posts table) for everything but the text match, with
/// placeholders numbered from `first`. Returns the SQL, its binds, and the next free number.
pub(crate) fn filter_sql(q: &DirectoryQuery, first: usize) -> (String, Vec<Bind>, usize) {
    let mut n = first;
    let mut binds = Vec::new();
    let mut param = |bind: Bind, binds: &mut Vec<Bind>| {
        binds.push(bind);
        n += 1;
        format!("${}", n - 1)
    };
    let kinds: Vec<&str> = if q.kinds.is_empty() {
        DIRECTORY_KINDS.to_vec()
    } else {
        q.kinds
            .iter()
            .map(String::as_str)
            .filter(|k| DIRECTORY_KINDS.contains(k))
            .collect()
    };
    let kind_list = kinds
        .iter()
        .map(|k| param(Bind::Text(k.to_string()), &mut binds))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = format!(
        "p.deleted_at IS NULL AND p.visibility = 'public' AND p.kind IN ({})",
        if kind_list.is_empty() {
            "NULL".to_string()
        } else {
            kind_list
        }
    );
    let now = param(Bind::Int(q.now), &mut binds);
    sql.push_str(&format!(
        " AND (p.expires_at IS NULL OR p.expires_at > {now})"
    ));
    for (facet, value) in &q.facets {
        let f = param(Bind::Text(facet.to_string()), &mut binds);
        let v = param(Bind::Text(value.clone()), &mut binds);
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM post_facets f WHERE f.post_id = p.id AND f.facet = {f} AND f.value = {v})"
        ));
    }
    if let Some(before) = q.before {
        let b = param(Bind::Int(before), &mut binds);
        sql.push_str(&format!(" AND p.id < {b}"));
    }
    if let Some(author) = &q.author {
        let a = param(Bind::Text(author.clone()), &mut binds);
        sql.push_str(&format!(" AND p.author_ap_id = {a}"));
    }
    (sql, binds, n)
}

/// Search words: letters and digits only (so nothing the user types is query syntax),
/// lower-cased, at most ten.
pub(crate) fn search_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .take(10)
        .collect()
}

/// How a database matches and ranks text; everything else of a directory query is shared.
pub(crate) struct TextMatch {
    /// The FROM clause, naming the posts table `p`.
    pub source: &'static str,
    /// The match condition on `$1` (the prepared words).
    pub condition: &'static str,
    /// The relevance, higher is better, as a double.
    pub rank: &'static str,
    /// The relevance when there is no text (a double zero).
    pub no_rank: &'static str,
    /// One search word as the match syntax wants it.
    pub word: fn(&str) -> String,
    /// What joins the words (all must match).
    pub joiner: &'static str,
}

impl TextMatch {
    /// The whole query and its binds: text match (if any words), filters, order, page.
    pub fn query(&self, q: &DirectoryQuery) -> (String, Vec<Bind>) {
        let tokens = search_tokens(q.text.as_deref().unwrap_or_default());
        let with_text = !tokens.is_empty();
        let (filters, mut binds, next) = filter_sql(q, if with_text { 2 } else { 1 });
        let page = format!("LIMIT ${next} OFFSET ${}", next + 1);
        let sql = if with_text {
            let words: Vec<String> = tokens.iter().map(|t| (self.word)(t)).collect();
            binds.insert(0, Bind::Text(words.join(self.joiner)));
            format!(
                "SELECT p.*, {} AS rank FROM {} WHERE {} AND {filters}
                 ORDER BY rank DESC, p.id DESC {page}",
                self.rank, self.source, self.condition
            )
        } else {
            // Newest first: the planner walks posts by id and stops at the page's end.
            format!(
                "SELECT p.*, {} AS rank FROM posts p WHERE {filters} ORDER BY p.id DESC {page}",
                self.no_rank
            )
        };
        binds.push(Bind::Int(q.limit));
        binds.push(Bind::Int(q.offset));
        (sql, binds)
    }
}

/// Binds `binds` onto a query, in order.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                $crate::db::directory::Bind::Text(s) => query.bind(s),
                $crate::db::directory::Bind::Int(i) => query.bind(i),
            };
        }
        query
    }};
}
pub(crate) use bind_all;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_strip_syntax() {
        assert_eq!(
            search_tokens("legal-aid \"Malaysia\" OR *"),
            vec!["legal", "aid", "malaysia", "or"]
        );
    }

    #[test]
    fn filters_number_their_placeholders() {
        let q = DirectoryQuery {
            kinds: vec!["program".into()],
            facets: vec![("theme", "legal-aid".into())],
            ..DirectoryQuery::default()
        };
        let (sql, binds, next) = filter_sql(&q, 2);
        assert!(sql.contains("p.kind IN ($2)"), "{sql}");
        assert!(sql.contains("f.facet = $4 AND f.value = $5"), "{sql}");
        assert_eq!(binds.len(), 4);
        assert_eq!(next, 6);
    }
}
