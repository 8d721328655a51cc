//! The publishing form: every kind's fields as the JSON API accepts them (`DraftRequest`),
//! read from a form post, and written back into the form to edit a post or to show it again.

use crate::db::PostRow;
use crate::domain::objects::{
    Advocacy, Contact, Details, Link, ObjectKind, Offer, Practice, Program, ProgramStatus,
};
use crate::domain::posts::{self, Draft, Visibility};
use serde::Deserialize;

pub use super::field_error::FieldError;

/// The fields as posted. Field names are the API's (`acceptingReferrals`, `validUntil`...);
/// lists of words are typed as text, lists of phrases one per line, contacts and attachments
/// as repeated rows.
#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectForm {
    pub name: String,
    pub summary: String,
    pub text: String,
    pub visibility: String,
    /// Separated by spaces or commas; a leading `#` is dropped.
    pub tags: String,
    pub themes: Vec<String>,
    pub countries: Vec<String>,
    pub populations: Vec<String>,
    pub status: String,
    /// One per line.
    pub areas: String,
    pub eligibility: String,
    /// BCP 47 tags separated by spaces or commas.
    pub languages: String,
    pub referral_required: bool,
    pub intake_criteria: String,
    pub how_to_refer: String,
    pub contact_name: Vec<String>,
    pub contact_role: Vec<String>,
    pub contact_email: Vec<String>,
    pub contact_phone: Vec<String>,
    pub accepting_referrals: bool,
    pub regardless_of_legal_status: bool,
    pub no_reporting_to_authorities: bool,
    pub complaints_mechanism: String,
    pub evidence: String,
    pub outcomes: String,
    /// One URL per line.
    pub related_programs: String,
    pub attachment_name: Vec<String>,
    pub attachment_url: Vec<String>,
    /// One per line.
    pub audience: String,
    pub program: String,
    pub capacity: String,
    pub criteria: String,
    pub area: String,
    /// `YYYY-MM-DD`: the offer shows until the end of that day (UTC).
    pub valid_until: String,
}

/// Words separated by spaces or commas.
fn words(text: &str) -> Vec<String> {
    text.split([' ', ',', '\n', '\r', '\t'])
        .map(|w| w.trim_start_matches('#'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Non-empty lines, trimmed.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn cell(column: &[String], row: usize) -> String {
    column
        .get(row)
        .map_or(String::new(), |s| s.trim().to_string())
}

/// The end of a `YYYY-MM-DD` day in UTC, as Unix milliseconds.
pub fn end_of_day_ms(date: &str) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    Some(
        day.and_hms_milli_opt(23, 59, 59, 999)?
            .and_utc()
            .timestamp_millis(),
    )
}

impl ObjectForm {
    /// The draft the API would build from the same fields, or the first field in error.
    pub fn to_draft(&self, kind: ObjectKind) -> Result<Draft, FieldError> {
        let visibility = match self.visibility.as_str() {
            "" => None,
            v => Some(Visibility::parse(v).map_err(|_| FieldError::new("visibility"))?),
        };
        let details = match kind {
            ObjectKind::Update => Details::Update,
            ObjectKind::Program => Details::Program(self.program_fields()?),
            ObjectKind::Practice => Details::Practice(Practice {
                themes: self.themes.clone(),
                countries: self.countries.clone(),
                evidence: self.evidence.trim().to_string(),
                outcomes: self.outcomes.trim().to_string(),
                related_programs: lines(&self.related_programs),
                attachments: (0..self.attachment_url.len().max(self.attachment_name.len()))
                    .map(|i| Link {
                        name: cell(&self.attachment_name, i),
                        url: cell(&self.attachment_url, i),
                    })
                    .filter(|l| !l.url.is_empty() || !l.name.is_empty())
                    .collect(),
            }),
            ObjectKind::Advocacy => Details::Advocacy(Advocacy {
                themes: self.themes.clone(),
                countries: self.countries.clone(),
                audience: lines(&self.audience),
            }),
            ObjectKind::Offer => Details::Offer(Offer {
                program: self.program.trim().to_string(),
                capacity: match self.capacity.trim() {
                    "" => None,
                    n => Some(n.parse().map_err(|_| FieldError::new("capacity"))?),
                },
                criteria: self.criteria.trim().to_string(),
                area: self.area.trim().to_string(),
                countries: self.countries.clone(),
                valid_until: end_of_day_ms(&self.valid_until)
                    .ok_or_else(|| FieldError::new("validUntil"))?,
            }),
        };
        Ok(Draft {
            name: self.name.clone(),
            summary: self.summary.clone(),
            text: self.text.clone(),
            tags: words(&self.tags),
            visibility,
            details,
        })
    }

    fn program_fields(&self) -> Result<Program, FieldError> {
        let status = match self.status.as_str() {
            "" | "active" => ProgramStatus::Active,
            "temporarily-closed" => ProgramStatus::TemporarilyClosed,
            "inactive" => ProgramStatus::Inactive,
            _ => return Err(FieldError::new("status")),
        };
        let rows = [
            &self.contact_name,
            &self.contact_role,
            &self.contact_email,
            &self.contact_phone,
        ]
        .iter()
        .map(|c| c.len())
        .max()
        .unwrap_or(0);
        Ok(Program {
            status,
            themes: self.themes.clone(),
            countries: self.countries.clone(),
            areas: lines(&self.areas),
            populations: self.populations.clone(),
            eligibility: self.eligibility.trim().to_string(),
            languages: words(&self.languages),
            referral_required: self.referral_required,
            intake_criteria: self.intake_criteria.trim().to_string(),
            how_to_refer: self.how_to_refer.trim().to_string(),
            contacts: (0..rows)
                .map(|i| Contact {
                    name: cell(&self.contact_name, i),
                    role: cell(&self.contact_role, i),
                    email: cell(&self.contact_email, i),
                    phone: cell(&self.contact_phone, i),
                })
                .filter(|c| *c != Contact::default())
                .collect(),
            accepting_referrals: self.accepting_referrals,
            regardless_of_legal_status: self.regardless_of_legal_status,
            no_reporting_to_authorities: self.no_reporting_to_authorities,
            complaints_mechanism: self.complaints_mechanism.trim().to_string(),
        })
    }

    /// The form filled in with a stored post, to edit it.
    pub fn of_post(post: &PostRow) -> ObjectForm {
        let mut form = ObjectForm {
            name: post.name.clone(),
            summary: post.summary.clone(),
            text: post
                .source
                .clone()
                .unwrap_or_else(|| crate::domain::text::html_text(&post.content)),
            visibility: post.visibility.clone(),
            tags: post.tags.clone(),
            ..ObjectForm::default()
        };
        match posts::details_of(post) {
            Ok(Details::Program(p)) => {
                form.status = serde_json::to_value(p.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                form.themes = p.themes;
                form.countries = p.countries;
                form.areas = p.areas.join("\n");
                form.populations = p.populations;
                form.eligibility = p.eligibility;
                form.languages = p.languages.join(" ");
                form.referral_required = p.referral_required;
                form.intake_criteria = p.intake_criteria;
                form.how_to_refer = p.how_to_refer;
                for c in p.contacts {
                    form.contact_name.push(c.name);
                    form.contact_role.push(c.role);
                    form.contact_email.push(c.email);
                    form.contact_phone.push(c.phone);
                }
                form.accepting_referrals = p.accepting_referrals;
                form.regardless_of_legal_status = p.regardless_of_legal_status;
                form.no_reporting_to_authorities = p.no_reporting_to_authorities;
                form.complaints_mechanism = p.complaints_mechanism;
            }
            Ok(Details::Practice(p)) => {
                form.themes = p.themes;
                form.countries = p.countries;
                form.evidence = p.evidence;
                form.outcomes = p.outcomes;
                form.related_programs = p.related_programs.join("\n");
                for link in p.attachments {
                    form.attachment_name.push(link.name);
                    form.attachment_url.push(link.url);
                }
            }
            Ok(Details::Advocacy(a)) => {
                form.themes = a.themes;
                form.countries = a.countries;
                form.audience = a.audience.join("\n");
            }
            Ok(Details::Offer(o)) => {
                form.program = o.program;
                form.capacity = o.capacity.map(|c| c.to_string()).unwrap_or_default();
                form.criteria = o.criteria;
                form.area = o.area;
                form.countries = o.countries;
                form.valid_until = super::super::templates::date(o.valid_until);
            }
            Ok(Details::Update) | Err(_) => {}
        }
        form
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_program_becomes_the_apis_draft() {
        let form: ObjectForm = serde_html_form::from_str(
            "_csrf=x&name=Clinic&themes=legal-aid&themes=health&countries=MY&languages=ms,+en\
             &acceptingReferrals=true&contactName=Ana&contactRole=&contactEmail=&contactPhone=\
             &contactName=&contactRole=&contactEmail=&contactPhone=&areas=Kuala+Lumpur%0ASelangor\
             &tags=%23legal+aid",
        )
        .expect("form parses");
        let draft = form.to_draft(ObjectKind::Program).expect("draft");
        let Details::Program(p) = &draft.details else {
            panic!("a program")
        };
        assert_eq!(p.themes, ["legal-aid", "health"]);
        assert_eq!(p.languages, ["ms", "en"]);
        assert_eq!(p.areas, ["Kuala Lumpur", "Selangor"]);
        assert_eq!(p.contacts.len(), 1, "blank rows are dropped");
        assert!(p.accepting_referrals && !p.referral_required);
        assert_eq!(draft.tags, ["legal", "aid"]);
        assert_eq!(draft.visibility, None);
    }

    #[test]
    fn bad_fields_are_named() {
        let form = ObjectForm {
            capacity: "many".into(),
            valid_until: "2099-01-01".into(),
            ..ObjectForm::default()
        };
        let err = form.to_draft(ObjectKind::Offer).expect_err("capacity");
        assert_eq!(err.field, "capacity");
        let form = ObjectForm {
            valid_until: "soon".into(),
            ..ObjectForm::default()
        };
        assert_eq!(
            form.to_draft(ObjectKind::Offer).expect_err("date").field,
            "validUntil"
        );
        assert_eq!(end_of_day_ms("1970-01-01"), Some(86_399_999));
    }
}
