//! Objects received from other servers (through the inbox or a backfill), read into posts.

use super::protocol::{is_public, values, NoteJson};
use super::{FederationError, FederationResult};
use crate::db::Store;
use crate::domain::languages::LanguageMaps;
use crate::domain::objects::{Details, ObjectKind};
use crate::domain::{posts, DomainError};
use serde_json::Value;

/// Types kept as posts. Gotong objects use them too, with `gotongType` beside.
pub const POST_TYPES: [&str; 3] = ["Note", "Article", "Page"];

/// The Gotong kind and fields of an object; anything without `gotongType` is an update.
fn details_of(note: &NoteJson) -> FederationResult<Details> {
    let Some(wire) = note.extra.get("gotongType").and_then(Value::as_str) else {
        return Ok(Details::Update);
    };
    let kind = ObjectKind::from_wire_name(wire)
        .ok_or_else(|| FederationError::BadRequest(format!("unknown gotongType {wire:?}")))?;
    let data = note
        .extra
        .get("gotongData")
        .cloned()
        .unwrap_or_else(|| Value::Object(Default::default()));
    Details::from_json(kind, data).map_err(|e| FederationError::BadRequest(e.to_string()))
}

/// Hashtag names of `tag`, without the '#'.
fn hashtags(note: &NoteJson) -> Vec<String> {
    let tags = match note.extra.get("tag") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => vec![],
    };
    tags.into_iter()
        .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
        .filter_map(|t| t.get("name").and_then(Value::as_str))
        .map(|n| n.trim_start_matches('#').to_string())
        .collect()
}

/// Stores (or refreshes) the copy of `note`, which `author` sent or served. Ignored when no
/// local organisation follows the author.
pub async fn store_remote_object(
    store: &dyn Store,
    author: &url::Url,
    note: &NoteJson,
) -> FederationResult<()> {
    if &note.attributed_to != author {
        return Err(FederationError::Forbidden(
            "object is attributed to someone other than the sender".into(),
        ));
    }
    if !super::same_origin(&note.id, author) {
        return Err(FederationError::Forbidden(
            "object id is on another server than its author".into(),
        ));
    }
    let public = values::all(&note.to)
        .chain(values::all(&note.cc))
        .any(is_public);
    let published = note.published.as_ref().and_then(|t| t.millis());
    let languages = LanguageMaps::from_object(
        note.extra.get("nameMap"),
        note.extra.get("summaryMap"),
        note.extra.get("contentMap"),
    );
    // An object with only a `contentMap` still has a default text.
    let html = note
        .content
        .as_deref()
        .or_else(|| languages.as_ref().and_then(LanguageMaps::fallback_content))
        .unwrap_or_default()
        .to_string();
    let outcome = crate::domain::remote::receive_remote_post(
        store,
        crate::domain::remote::RemotePost {
            ap_id: note.id.as_str(),
            author_ap_id: note.attributed_to.as_str(),
            name: note.name.as_deref().unwrap_or_default(),
            summary: note.summary.as_deref().unwrap_or_default(),
            html: &html,
            tags: hashtags(note),
            visibility: if public {
                posts::Visibility::Public
            } else {
                posts::Visibility::Followers
            },
            published_at: published.unwrap_or_else(crate::db::now_ms),
            updated_at: note.updated.as_ref().and_then(|t| t.millis()),
            details: details_of(note)?,
            languages,
        },
    )
    .await;
    match outcome {
        Ok(_) => Ok(()),
        Err(DomainError::Forbidden(why)) => Err(FederationError::Forbidden(why.into())),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::objects::{
        Advocacy, Contact, Link, Offer, Practice, Program, ProgramStatus,
    };

    fn every_kind() -> Vec<Details> {
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        vec![
            Details::Program(Program {
                status: ProgramStatus::TemporarilyClosed,
                themes: strings(&["legal-aid"]),
                countries: strings(&["MY", "TH"]),
                areas: strings(&["Penang"]),
                populations: strings(&["refugees"]),
                eligibility: "Anyone".into(),
                languages: strings(&["ms", "en-AU"]),
                referral_required: true,
                intake_criteria: "Consent".into(),
                how_to_refer: "Gotong".into(),
                contacts: vec![Contact {
                    name: "Desk".into(),
                    role: "intake".into(),
                    email: "a@b.example".into(),
                    phone: "+60".into(),
                }],
                accepting_referrals: true,
                regardless_of_legal_status: true,
                no_reporting_to_authorities: true,
                complaints_mechanism: "Hotline".into(),
            }),
            Details::Practice(Practice {
                themes: strings(&["sgbv"]),
                countries: strings(&["PH"]),
                evidence: "Study".into(),
                outcomes: "Better".into(),
                related_programs: strings(&["https://a.example/programs/1"]),
                attachments: vec![Link {
                    name: "Report".into(),
                    url: "https://a.example/r.pdf".into(),
                }],
            }),
            Details::Advocacy(Advocacy {
                themes: strings(&["detention"]),
                countries: strings(&["ID"]),
                audience: strings(&["ASEAN"]),
            }),
            Details::Offer(Offer {
                program: "https://a.example/programs/1".into(),
                capacity: Some(5),
                criteria: "Wages".into(),
                area: "Jakarta".into(),
                countries: strings(&["ID"]),
                valid_until: 1_900_000_000_000,
            }),
        ]
    }

    /// Every field of every kind survives render → JSON text → parse, as between two nodes.
    #[test]
    fn every_kind_round_trips_through_the_wire() {
        let config = crate::config::Config {
            domain: "a.example".into(),
            ..Default::default()
        };
        let urls = crate::federation::Urls::new(&config);
        for details in every_kind() {
            let kind = details.kind();
            let post = crate::db::PostRow {
                id: 1,
                ap_id: urls.object(kind, "x").to_string(),
                kind: kind.as_str().into(),
                organisation_id: Some(1),
                author_ap_id: urls.actor("org").to_string(),
                visibility: "public".into(),
                name: "Name".into(),
                summary: "Summary".into(),
                content: "<p>Body</p>".into(),
                source: None,
                data: details.to_json().map(|v| v.to_string()),
                tags: "one two".into(),
                search_text: String::new(),
                published_at: 1_700_000_000_000,
                updated_at: None,
                expires_at: details.expires_at(),
                deleted_at: None,
                received_at: 0,
                language_maps: None,
            };
            let wire =
                serde_json::to_string(&crate::federation::render::post_object(&urls, "org", &post))
                    .expect("serialise");
            let note: NoteJson = serde_json::from_str(&wire).expect("parse");
            assert_eq!(details_of(&note).expect("details"), details, "{wire}");
            assert_eq!(note.kind, kind.as2_type());
            assert_eq!(hashtags(&note), vec!["one", "two"]);
        }
    }
}
