//! Exports of programs for other tools: Open Referral HSDS 3.0 JSON, and CSV with an HXL
//! hashtag row (Humanitarian Exchange Language) for spreadsheets and HDX.

use super::objects::{Details, Program};
use super::posts::{details_of, html_text, Post};
use super::{vocab, DomainResult};
use crate::db::{DirectoryQuery, Store};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Display names of the authors of `posts` (local organisations and remote actors), by id.
pub async fn author_names(
    store: &dyn Store,
    posts: &[&Post],
) -> DomainResult<BTreeMap<String, String>> {
    let mut names = BTreeMap::new();
    for post in posts {
        if names.contains_key(&post.author_ap_id) {
            continue;
        }
        let name = match post.organisation_id {
            Some(id) => store.organisation_by_id(id).await?.name,
            None => store
                .remote_actor_by_ap_id(&post.author_ap_id)
                .await?
                .map(|a| a.name)
                .unwrap_or_default(),
        };
        names.insert(post.author_ap_id.clone(), name);
    }
    Ok(names)
}

/// Every program matching `query` (its kinds are replaced by programs), in pages.
pub async fn matching_programs(
    store: &dyn Store,
    mut query: DirectoryQuery,
) -> DomainResult<Vec<Post>> {
    const PAGE: i64 = 500;
    const MOST: usize = 100_000;
    query.kinds = vec![super::objects::ObjectKind::Program.as_str().to_string()];
    query.limit = PAGE;
    query.offset = 0;
    let mut programs = Vec::new();
    loop {
        let hits = store.search_directory(&query).await?;
        let full_page = hits.len() as i64 == PAGE;
        programs.extend(hits.into_iter().map(|h| h.post));
        if !full_page || programs.len() >= MOST {
            return Ok(programs);
        }
        query.offset += PAGE;
    }
}

/// A program with the organisation that runs it, as the exports need them.
pub struct ProgramRecord<'a> {
    pub post: &'a Post,
    pub program: Program,
    pub organisation_name: &'a str,
}

/// The programs among `posts`, paired with their organisations' names.
pub fn program_records<'a>(
    posts: &'a [Post],
    names: &'a BTreeMap<String, String>,
) -> Vec<ProgramRecord<'a>> {
    posts
        .iter()
        .filter_map(|post| match details_of(post) {
            Ok(Details::Program(program)) => Some(ProgramRecord {
                post,
                program,
                organisation_name: names.get(&post.author_ap_id).map_or("", String::as_str),
            }),
            _ => None,
        })
        .collect()
}

/// HSDS ids are UUIDs; ours are URLs, so each becomes the name-based UUID of its URL.
fn hsds_id(url: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, url.as_bytes()).to_string()
}

fn hsds_service(r: &ProgramRecord) -> Value {
    let id = hsds_id(&r.post.ap_id);
    let p = &r.program;
    let areas = p.countries.iter().map(|c| {
        let name = vocab::country_name(c).unwrap_or(c);
        json!({ "id": hsds_id(&format!("{}#area-{c}", r.post.ap_id)), "service_id": id,
                "name": name, "extent_type": "country", "uri": format!("urn:iso:std:3166:{c}") })
    });
    let sub_areas = p.areas.iter().map(|a| {
        json!({ "id": hsds_id(&format!("{}#area-{a}", r.post.ap_id)), "service_id": id, "name": a })
    });
    let languages: Vec<Value> = p
        .languages
        .iter()
        .map(|code| json!({ "id": hsds_id(&format!("{}#lang-{code}", r.post.ap_id)), "service_id": id, "code": code }))
        .collect();
    let contacts: Vec<Value> = p
        .contacts
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let phones: Vec<Value> = (!c.phone.is_empty())
                .then(|| json!({ "id": hsds_id(&format!("{}#phone-{n}", r.post.ap_id)), "number": c.phone }))
                .into_iter()
                .collect();
            json!({ "id": hsds_id(&format!("{}#contact-{n}", r.post.ap_id)), "service_id": id,
                    "name": c.name, "title": c.role, "email": c.email, "phones": phones })
        })
        .collect();
    let attributes: Vec<Value> = p
        .themes
        .iter()
        .map(|t| ("gotong-themes", t.as_str(), vocab::theme_label(t)))
        .chain(
            p.populations
                .iter()
                .map(|t| ("gotong-populations", t.as_str(), vocab::population_label(t))),
        )
        .map(|(vocabulary, code, label)| {
            json!({ "id": hsds_id(&format!("{}#{vocabulary}-{code}", r.post.ap_id)), "link_id": id,
                    "link_type": "service", "link_entity": "service",
                    "taxonomy_term": { "id": hsds_id(&format!("gotong:{vocabulary}:{code}")),
                        "code": code, "name": label.unwrap_or(code), "vocabulary": vocabulary } })
        })
        .collect();
    let application_process = [p.how_to_refer.as_str(), p.intake_criteria.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    json!({
        "id": id,
        "organization_id": hsds_id(&r.post.author_ap_id),
        "name": r.post.name,
        "description": html_text(&r.post.content),
        "url": r.post.ap_id,
        "status": p.status.hsds(),
        "eligibility_description": p.eligibility,
        "application_process": application_process,
        "service_areas": areas.chain(sub_areas).collect::<Vec<_>>(),
        "languages": languages,
        "contacts": contacts,
        "attributes": attributes,
    })
}

/// HSDS 3.0 organisations, each with its services (programs), areas, languages and contacts.
pub fn hsds(records: &[ProgramRecord]) -> Value {
    let mut organisations: BTreeMap<&str, (String, Vec<Value>)> = BTreeMap::new();
    for r in records {
        organisations
            .entry(r.post.author_ap_id.as_str())
            .or_insert_with(|| (r.organisation_name.to_string(), Vec::new()))
            .1
            .push(hsds_service(r));
    }
    Value::Array(
        organisations
            .into_iter()
            .map(|(actor, (name, services))| {
                json!({ "id": hsds_id(actor), "name": name, "description": "",
                        "website": actor, "services": services })
            })
            .collect(),
    )
}

/// The header row, then the HXL hashtag row, then one row per program.
const CSV_COLUMNS: [(&str, &str); 14] = [
    ("Organisation", "#org +name"),
    ("Program", "#activity +name"),
    ("Description", "#activity +description"),
    ("Status", "#status"),
    ("Countries", "#country +code +list"),
    ("Areas", "#adm1 +name +list"),
    ("Themes", "#sector +list"),
    ("Populations", "#x_population +list"),
    ("Languages", "#x_language +list"),
    ("Accepting referrals", "#x_referral +accepting"),
    ("Contact name", "#contact +name"),
    ("Contact email", "#contact +email"),
    ("Contact phone", "#contact +phone"),
    ("URL", "#meta +url"),
];

/// A cell as a spreadsheet may not run it: one that starts like a formula (`=`, `+`, `-`,
/// `@`, or a tab or carriage return before one) is prefixed with `'`, which spreadsheets read
/// as "this is text". Program names and contacts come from other organisations' servers.
fn neutralise_formula(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

fn csv_field(value: &str) -> String {
    let value = neutralise_formula(value);
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv_line(fields: impl IntoIterator<Item = String>) -> String {
    let mut line = fields
        .into_iter()
        .map(|f| csv_field(&f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

pub fn csv(records: &[ProgramRecord]) -> String {
    let mut out = csv_line(CSV_COLUMNS.iter().map(|(h, _)| h.to_string()));
    out.push_str(&csv_line(
        CSV_COLUMNS.iter().map(|(_, tag)| tag.to_string()),
    ));
    for r in records {
        let p = &r.program;
        let contact = p.contacts.first().cloned().unwrap_or_default();
        out.push_str(&csv_line([
            r.organisation_name.to_string(),
            r.post.name.clone(),
            // One line per program: spreadsheets and HXL tools read rows.
            html_text(&r.post.content).replace('\n', " "),
            p.status.hsds().to_string(),
            p.countries.join(" "),
            p.areas.join("; "),
            p.themes.join(" "),
            p.populations.join(" "),
            p.languages.join(" "),
            if p.accepting_referrals { "yes" } else { "no" }.to_string(),
            contact.name,
            contact.email,
            contact.phone,
            r.post.ap_id.clone(),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_cells_that_start_like_a_formula_are_neutralised() {
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("+62 21 555"), "'+62 21 555");
        assert_eq!(csv_field("-2+3"), "'-2+3");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\t=cmd"), "'\t=cmd");
        assert_eq!(csv_field("\r=cmd"), "\"'\r=cmd\"");
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        // Control: the same characters elsewhere in a cell change nothing.
        assert_eq!(csv_field("Clinic = care + food"), "Clinic = care + food");
        assert_eq!(csv_field("a@b.example"), "a@b.example");
    }

    #[test]
    fn hsds_ids_are_stable_uuids() {
        let a = hsds_id("https://pmi.example/programs/1");
        assert_eq!(a, hsds_id("https://pmi.example/programs/1"));
        assert_ne!(a, hsds_id("https://pmi.example/programs/2"));
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }
}
