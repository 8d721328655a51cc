//! What organisations share besides updates: programs, good practices, advocacy notes and
//! referral offers. Their structured fields, the rules they must meet, and what filters and
//! search see of them.

use super::fields::{FieldError, FieldErrors};
use super::{vocab, DomainError, DomainResult};
use serde::{Deserialize, Serialize};

/// The kinds of shared object. `Update` is the short news item; the others make the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    Update,
    Program,
    Practice,
    Advocacy,
    Offer,
}

impl ObjectKind {
    pub const DIRECTORY: [ObjectKind; 4] = [
        ObjectKind::Program,
        ObjectKind::Practice,
        ObjectKind::Advocacy,
        ObjectKind::Offer,
    ];

    /// The value stored in `posts.kind` and used in API paths and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Update => "update",
            ObjectKind::Program => "program",
            ObjectKind::Practice => "practice",
            ObjectKind::Advocacy => "advocacy",
            ObjectKind::Offer => "offer",
        }
    }

    pub fn parse(s: &str) -> DomainResult<ObjectKind> {
        ObjectKind::all()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::Invalid(format!("unknown kind {s:?}")))
    }

    /// The path segment of this kind's URLs (`/programs/{id}`).
    pub fn plural(self) -> &'static str {
        match self {
            ObjectKind::Update => "updates",
            ObjectKind::Program => "programs",
            ObjectKind::Practice => "practices",
            ObjectKind::Advocacy => "advocacy",
            ObjectKind::Offer => "offers",
        }
    }

    pub fn all() -> impl Iterator<Item = ObjectKind> {
        [ObjectKind::Update]
            .into_iter()
            .chain(ObjectKind::DIRECTORY)
    }

    /// The `gotongType` on the wire.
    pub fn wire_name(self) -> &'static str {
        match self {
            ObjectKind::Update => "Update",
            ObjectKind::Program => "Program",
            ObjectKind::Practice => "GoodPractice",
            ObjectKind::Advocacy => "AdvocacyNote",
            ObjectKind::Offer => "ReferralOffer",
        }
    }

    pub fn from_wire_name(s: &str) -> Option<ObjectKind> {
        ObjectKind::all().find(|k| k.wire_name() == s)
    }

    /// The plain ActivityStreams type, so servers that do not know Gotong still show the object:
    /// Mastodon shows a `Note`'s content and an `Article`'s or `Page`'s title and summary.
    pub fn as2_type(self) -> &'static str {
        match self {
            ObjectKind::Update | ObjectKind::Offer => "Note",
            ObjectKind::Program => "Page",
            ObjectKind::Practice | ObjectKind::Advocacy => "Article",
        }
    }
}

/// Open Referral HSDS 3.0 service statuses, as far as programs use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProgramStatus {
    #[default]
    Active,
    TemporarilyClosed,
    Inactive,
}

impl ProgramStatus {
    /// The HSDS 3.0 spelling.
    pub fn hsds(self) -> &'static str {
        match self {
            ProgramStatus::Active => "active",
            ProgramStatus::TemporarilyClosed => "temporarily closed",
            ProgramStatus::Inactive => "inactive",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A service an organisation runs, aligned with HSDS 3.0 `service`, plus what protection work
/// needs and HSDS lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Program {
    pub status: ProgramStatus,
    pub themes: Vec<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// Provinces, cities or districts, by name.
    pub areas: Vec<String>,
    pub populations: Vec<String>,
    pub eligibility: String,
    /// BCP 47 tags of the languages the service is offered in.
    pub languages: Vec<String>,
    pub referral_required: bool,
    pub intake_criteria: String,
    pub how_to_refer: String,
    pub contacts: Vec<Contact>,
    pub accepting_referrals: bool,
    /// Served whatever the person's migration or legal status.
    pub regardless_of_legal_status: bool,
    /// The organisation does not report people it serves to immigration authorities.
    pub no_reporting_to_authorities: bool,
    pub complaints_mechanism: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Practice {
    pub themes: Vec<String>,
    pub countries: Vec<String>,
    pub evidence: String,
    pub outcomes: String,
    /// Ids (URLs) of the programs this practice comes from.
    pub related_programs: Vec<String>,
    pub attachments: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Advocacy {
    pub themes: Vec<String>,
    pub countries: Vec<String>,
    /// Who the note addresses: "ASEAN", "national governments", "donors"...
    pub audience: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Offer {
    /// Id (URL) of the program that takes the referrals.
    pub program: String,
    /// How many referrals it can take; `None` when not limited.
    pub capacity: Option<u32>,
    pub criteria: String,
    pub area: String,
    pub countries: Vec<String>,
    /// Unix milliseconds after which the offer no longer shows.
    pub valid_until: i64,
}

/// The structured part of a shared object, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Details {
    Update,
    Program(Program),
    Practice(Practice),
    Advocacy(Advocacy),
    Offer(Offer),
}

impl Details {
    pub fn kind(&self) -> ObjectKind {
        match self {
            Details::Update => ObjectKind::Update,
            Details::Program(_) => ObjectKind::Program,
            Details::Practice(_) => ObjectKind::Practice,
            Details::Advocacy(_) => ObjectKind::Advocacy,
            Details::Offer(_) => ObjectKind::Offer,
        }
    }

    /// Reads the JSON of a kind's fields (from the API, the database or the wire).
    pub fn from_json(kind: ObjectKind, value: serde_json::Value) -> DomainResult<Details> {
        let invalid =
            |e: serde_json::Error| DomainError::Invalid(format!("{}: {e}", kind.as_str()));
        Ok(match kind {
            ObjectKind::Update => Details::Update,
            ObjectKind::Program => {
                Details::Program(serde_json::from_value(value).map_err(invalid)?)
            }
            ObjectKind::Practice => {
                Details::Practice(serde_json::from_value(value).map_err(invalid)?)
            }
            ObjectKind::Advocacy => {
                Details::Advocacy(serde_json::from_value(value).map_err(invalid)?)
            }
            ObjectKind::Offer => Details::Offer(serde_json::from_value(value).map_err(invalid)?),
        })
    }

    pub fn to_json(&self) -> Option<serde_json::Value> {
        let value = match self {
            Details::Update => return None,
            Details::Program(p) => serde_json::to_value(p),
            Details::Practice(p) => serde_json::to_value(p),
            Details::Advocacy(a) => serde_json::to_value(a),
            Details::Offer(o) => serde_json::to_value(o),
        };
        value.ok()
    }

    pub fn themes_and_countries(&self) -> (&[String], &[String]) {
        match self {
            Details::Update => (&[], &[]),
            Details::Program(p) => (&p.themes, &p.countries),
            Details::Practice(p) => (&p.themes, &p.countries),
            Details::Advocacy(a) => (&a.themes, &a.countries),
            Details::Offer(o) => (&[], &o.countries),
        }
    }

    /// Checks codes against the vocabularies and the kind's own rules. Applied to what local
    /// staff write; remote objects are stored as their node validated them.
    pub fn validate(&self) -> DomainResult<()> {
        let mut errors = FieldErrors::default();
        let (themes, countries) = self.themes_and_countries();
        errors.check(vocab::check_themes(themes));
        errors.check(vocab::check_countries(countries));
        match self {
            Details::Program(p) => {
                errors.check(vocab::check_populations(&p.populations));
                errors.check(vocab::check_languages(&p.languages));
            }
            Details::Offer(o) => {
                if o.valid_until <= crate::db::now_ms() {
                    errors.push(FieldError::new(
                        "validUntil",
                        "not_in_future",
                        "offer: validUntil must be in the future",
                    ));
                }
                if o.capacity == Some(0) {
                    errors.push(
                        FieldError::new(
                            "capacity",
                            "too_small",
                            "offer: capacity must be at least 1",
                        )
                        .with("min", 1),
                    );
                }
            }
            _ => {}
        }
        errors.finish()
    }

    /// (facet, value) pairs that directory filters match exactly.
    pub fn facets(&self) -> Vec<(&'static str, String)> {
        let (themes, countries) = self.themes_and_countries();
        let mut facets: Vec<(&'static str, String)> = themes
            .iter()
            .map(|t| ("theme", t.clone()))
            .chain(countries.iter().map(|c| ("country", c.clone())))
            .collect();
        match self {
            Details::Program(p) => {
                facets.extend(p.populations.iter().map(|v| ("population", v.clone())));
                facets.extend(p.languages.iter().map(|v| ("language", v.clone())));
                if p.accepting_referrals && p.status == ProgramStatus::Active {
                    facets.push(("accepting", "true".into()));
                }
            }
            Details::Offer(_) => facets.push(("accepting", "true".into())),
            _ => {}
        }
        facets
    }

    /// Words search should find the object by beyond its title and text: the labels of its
    /// codes (so "Malaysia" finds a program in "MY"), areas, audiences, eligibility.
    pub fn search_terms(&self) -> String {
        let (themes, countries) = self.themes_and_countries();
        let mut words: Vec<String> = themes
            .iter()
            .filter_map(|t| vocab::theme_label(t))
            .chain(countries.iter().filter_map(|c| vocab::country_name(c)))
            .map(str::to_string)
            .collect();
        match self {
            Details::Program(p) => {
                words.extend(
                    p.populations
                        .iter()
                        .filter_map(|v| vocab::population_label(v))
                        .map(str::to_string),
                );
                words.extend(p.areas.iter().cloned());
                words.push(p.eligibility.clone());
                words.push(p.intake_criteria.clone());
            }
            Details::Practice(p) => {
                words.push(p.evidence.clone());
                words.push(p.outcomes.clone());
            }
            Details::Advocacy(a) => words.extend(a.audience.iter().cloned()),
            Details::Offer(o) => {
                words.push(o.criteria.clone());
                words.push(o.area.clone());
            }
            Details::Update => {}
        }
        words.retain(|w| !w.trim().is_empty());
        words.join(" ")
    }

    /// When the object stops showing (offers only).
    pub fn expires_at(&self) -> Option<i64> {
        match self {
            Details::Offer(o) => Some(o.valid_until),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program() -> Program {
        Program {
            themes: vec!["legal-aid".into()],
            countries: vec!["MY".into()],
            populations: vec!["migrant-workers".into()],
            languages: vec!["ms".into(), "en".into()],
            accepting_referrals: true,
            ..Program::default()
        }
    }

    #[test]
    fn facets_and_search_terms_come_from_codes() {
        let details = Details::Program(program());
        let facets = details.facets();
        assert!(facets.contains(&("theme", "legal-aid".into())));
        assert!(facets.contains(&("country", "MY".into())));
        assert!(facets.contains(&("accepting", "true".into())));
        let terms = details.search_terms();
        assert!(
            terms.contains("Malaysia") && terms.contains("Legal aid"),
            "{terms}"
        );
        let mut closed = program();
        closed.status = ProgramStatus::TemporarilyClosed;
        assert!(!Details::Program(closed)
            .facets()
            .contains(&("accepting", "true".into())));
    }

    #[test]
    fn validation_names_the_bad_field() {
        let mut bad = program();
        bad.themes = vec!["knitting".into()];
        bad.languages = vec!["english".into()];
        let Err(DomainError::Fields(errors)) = Details::Program(bad).validate() else {
            panic!("field errors expected");
        };
        let found: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            found,
            [
                ("themes", "unknown_code"),
                ("languages", "invalid_language")
            ]
        );
        assert_eq!(errors[0].params["value"], "knitting");
        assert!(
            errors[0].message.contains("themes"),
            "{}",
            errors[0].message
        );
        let expired = Details::Offer(Offer {
            valid_until: 1,
            capacity: Some(0),
            ..Offer::default()
        });
        let Err(DomainError::Fields(errors)) = expired.validate() else {
            panic!("field errors expected");
        };
        let found: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            found,
            [("validUntil", "not_in_future"), ("capacity", "too_small")]
        );
        let open = Details::Offer(Offer {
            valid_until: crate::db::now_ms() + 60_000,
            ..Offer::default()
        });
        assert!(open.validate().is_ok());
    }

    #[test]
    fn json_round_trips_through_each_kind() {
        let details = Details::Program(program());
        let json = details.to_json().expect("json");
        assert_eq!(json["acceptingReferrals"], true);
        assert_eq!(
            Details::from_json(ObjectKind::Program, json).expect("parse"),
            details
        );
        assert_eq!(
            ObjectKind::from_wire_name("GoodPractice"),
            Some(ObjectKind::Practice)
        );
    }
}
