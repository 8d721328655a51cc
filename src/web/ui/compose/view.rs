//! What the publishing pages show: the list of own objects, the form of each kind with its
//! vocabulary pickers, and the delete confirmation.

use super::form::{FieldError, ObjectForm};
use crate::db::PostRow;
use crate::domain::accounts::Staff;
use crate::domain::objects::ObjectKind;
use crate::domain::vocab;
use crate::federation::FedData;
use crate::web::ui::page::{Page, PageError};
use crate::web::ui::public::label;
use crate::web::ui::templates::{date, iso_time, post_title};
use askama::Template;

/// One own object in the list.
pub struct OwnItem {
    pub title: String,
    pub url: String,
    pub edit: String,
    pub delete: String,
    pub followers_only: bool,
    pub expired: bool,
    pub published_iso: String,
    pub published_date: String,
}

pub struct KindSection {
    pub kind: &'static str,
    pub heading: String,
    pub new_label: String,
    pub items: Vec<OwnItem>,
    pub more: Option<String>,
}

#[derive(Template)]
#[template(path = "staff_objects.html")]
pub struct ObjectsPage<'a> {
    pub page: &'a Page,
    pub sections: Vec<KindSection>,
    pub notice: Option<String>,
}

const PER_KIND: i64 = 20;

fn item_links(data: &FedData, kind: ObjectKind, post: &PostRow) -> (String, String) {
    let uuid = data.urls.uuid_of_object(&post.ap_id).unwrap_or_default();
    let base = format!("/staff/objects/{}/{uuid}", kind.as_str());
    (format!("{base}/edit"), format!("{base}/delete"))
}

impl<'a> ObjectsPage<'a> {
    /// Every kind's latest objects, or one kind's from `before` on.
    pub async fn load(
        page: &'a Page,
        data: &FedData,
        staff: &Staff,
        only: Option<ObjectKind>,
        before: Option<i64>,
        done: Option<String>,
    ) -> Result<ObjectsPage<'a>, PageError> {
        let now = crate::db::now_ms();
        let mut sections = Vec::new();
        for kind in ObjectKind::all().filter(|k| only.is_none_or(|o| o == *k)) {
            let rows = data
                .store
                .organisation_posts(
                    staff.organisation_id,
                    Some(kind.as_str()),
                    false,
                    before,
                    PER_KIND,
                )
                .await?;
            let more = (rows.len() as i64 == PER_KIND)
                .then(|| rows.last())
                .flatten()
                .map(|p| format!("/staff/objects?kind={}&before={}", kind.as_str(), p.id));
            let items = rows
                .iter()
                .map(|p| {
                    let (edit, delete) = item_links(data, kind, p);
                    OwnItem {
                        title: post_title(p),
                        url: p.ap_id.clone(),
                        edit,
                        delete,
                        followers_only: p.visibility == "followers",
                        expired: p.expires_at.is_some_and(|at| at <= now),
                        published_iso: iso_time(p.published_at),
                        published_date: date(p.published_at),
                    }
                })
                .collect();
            sections.push(KindSection {
                kind: kind.as_str(),
                heading: page.t(&format!("kind-{}-plural", kind.as_str())),
                new_label: page.t(&format!("compose-new-{}", kind.as_str())),
                items,
                more,
            });
        }
        let notice = match done.as_deref() {
            Some(d @ ("published" | "saved" | "deleted")) => {
                Some(page.t(&format!("objects-done-{d}")))
            }
            _ => None,
        };
        Ok(ObjectsPage {
            page,
            sections,
            notice,
        })
    }
}

/// One option of a picker.
pub struct Choice {
    pub code: String,
    pub label: String,
    pub checked: bool,
}

fn choices(page: &Page, vocab_name: &str, list: &[(&str, &str)], chosen: &[String]) -> Vec<Choice> {
    list.iter()
        .map(|(code, english)| Choice {
            code: code.to_string(),
            label: label(page, vocab_name, code, Some(english)),
            checked: chosen.iter().any(|c| c == code),
        })
        .collect()
}

/// Countries by name (their English names, in every language), so a reader finds them.
fn countries(chosen: &[String]) -> Vec<Choice> {
    let mut list: Vec<Choice> = vocab::COUNTRIES
        .iter()
        .map(|(code, name)| Choice {
            code: code.to_string(),
            label: name.to_string(),
            checked: chosen.iter().any(|c| c == code),
        })
        .collect();
    list.sort_by(|a, b| a.label.cmp(&b.label));
    list
}

#[derive(Template)]
#[template(path = "staff_compose.html")]
pub struct ComposePage<'a> {
    pub page: &'a Page,
    pub kind: &'static str,
    pub heading: String,
    pub action: String,
    pub editing: bool,
    pub form: ObjectForm,
    pub errors: Vec<FieldError>,
    pub themes: Vec<Choice>,
    pub populations: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub programs: Vec<Choice>,
    /// Contact rows (name, role, email, phone), with one empty row to add another.
    pub contacts: Vec<[String; 4]>,
    pub attachments: Vec<[String; 2]>,
}

impl<'a> ComposePage<'a> {
    pub async fn new(
        page: &'a Page,
        data: &FedData,
        staff: &Staff,
        kind: ObjectKind,
        uuid: Option<&str>,
        form: ObjectForm,
        errors: Vec<FieldError>,
    ) -> Result<ComposePage<'a>, PageError> {
        let programs = if kind == ObjectKind::Offer {
            let rows = data
                .store
                .organisation_posts(staff.organisation_id, Some("program"), false, None, 200)
                .await?;
            rows.iter()
                .map(|p| Choice {
                    code: p.ap_id.clone(),
                    label: post_title(p),
                    checked: p.ap_id == form.program,
                })
                .collect()
        } else {
            vec![]
        };
        let statuses = ["active", "temporarily-closed", "inactive"]
            .iter()
            .map(|s| Choice {
                code: s.to_string(),
                label: page.t(&format!("status-{s}")),
                checked: form.status == *s || (form.status.is_empty() && *s == "active"),
            })
            .collect();
        let cell = |column: &[String], i: usize| column.get(i).cloned().unwrap_or_default();
        let rows = form.contact_name.len().max(form.contact_email.len());
        let mut contacts: Vec<[String; 4]> = (0..rows)
            .map(|i| {
                [
                    cell(&form.contact_name, i),
                    cell(&form.contact_role, i),
                    cell(&form.contact_email, i),
                    cell(&form.contact_phone, i),
                ]
            })
            .filter(|row| row.iter().any(|c| !c.trim().is_empty()))
            .collect();
        contacts.push(Default::default());
        let mut attachments: Vec<[String; 2]> = (0..form.attachment_url.len())
            .map(|i| {
                [
                    cell(&form.attachment_name, i),
                    cell(&form.attachment_url, i),
                ]
            })
            .filter(|row| row.iter().any(|c| !c.trim().is_empty()))
            .collect();
        attachments.push(Default::default());
        let heading = match uuid {
            Some(_) => page.t1("compose-edit-heading", "title", &form.name),
            None => page.t(&format!("compose-new-{}", kind.as_str())),
        };
        let action = match uuid {
            Some(uuid) => format!("/staff/objects/{}/{uuid}/edit", kind.as_str()),
            None => format!("/staff/objects/new/{}", kind.as_str()),
        };
        Ok(ComposePage {
            page,
            kind: kind.as_str(),
            heading,
            action,
            editing: uuid.is_some(),
            themes: choices(page, "theme", vocab::THEMES, &form.themes),
            populations: choices(page, "population", vocab::POPULATIONS, &form.populations),
            countries: countries(&form.countries),
            statuses,
            programs,
            contacts,
            attachments,
            form,
            errors,
        })
    }

    /// Whether this form has `kind`'s fields.
    pub fn has(&self, kinds: &str) -> bool {
        kinds.split(' ').any(|k| k == self.kind)
    }

    /// The messages to show next to `field`, in the reader's language; `None` when it has
    /// no error.
    pub fn error_for(&self, field: &str) -> Option<String> {
        let messages: Vec<String> = self
            .errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| {
                let message = self.page.t_args(e.key, &e.args);
                if e.detail.is_empty() {
                    message
                } else {
                    format!("{message} {}", e.detail)
                }
            })
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// `aria-describedby` (help text and error) and `aria-invalid` for a control. Field
    /// names come from the template, so the attribute text is safe to insert.
    pub fn attrs(&self, field: &str, help: bool) -> String {
        let invalid = self.errors.iter().any(|e| e.field == field);
        let mut ids = Vec::new();
        if help {
            ids.push(format!("{field}-help"));
        }
        if invalid {
            ids.push(format!("{field}-error"));
        }
        let mut attrs = String::new();
        if !ids.is_empty() {
            attrs.push_str(&format!(" aria-describedby=\"{}\"", ids.join(" ")));
        }
        if invalid {
            attrs.push_str(" aria-invalid=\"true\"");
        }
        attrs
    }

    pub fn visibility_is(&self, value: &str) -> bool {
        self.form.visibility == value || (self.form.visibility.is_empty() && value == "public")
    }
}

#[derive(Template)]
#[template(path = "staff_delete.html")]
pub struct DeletePage<'a> {
    pub page: &'a Page,
    pub title: String,
    pub url: String,
    pub action: String,
}

impl<'a> DeletePage<'a> {
    pub fn new(page: &'a Page, kind: ObjectKind, uuid: &str, post: &PostRow) -> DeletePage<'a> {
        DeletePage {
            page,
            title: post_title(post),
            url: post.ap_id.clone(),
            action: format!("/staff/objects/{}/{uuid}/delete", kind.as_str()),
        }
    }
}
