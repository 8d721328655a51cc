//! Controlled vocabularies shipped with every node: themes, target populations, countries and
//! language tags. Free tags are allowed beside them; these are what filters and exports use.

mod countries;

pub use countries::COUNTRIES;

use super::fields::FieldError;

/// Themes of protection work (code, English label).
pub const THEMES: &[(&str, &str)] = &[
    ("migration", "Migration"),
    ("trafficking", "Human trafficking"),
    ("sgbv", "Sexual and gender-based violence"),
    ("detention", "Immigration detention"),
    ("statelessness", "Statelessness"),
    ("child-protection", "Child protection"),
    ("health", "Health"),
    (
        "psychosocial-support",
        "Mental health and psychosocial support",
    ),
    ("legal-aid", "Legal aid"),
    ("shelter", "Shelter"),
    ("livelihoods", "Livelihoods"),
    ("education", "Education"),
    ("restoring-family-links", "Restoring family links"),
    ("disaster-displacement", "Disaster displacement"),
    ("civil-documentation", "Civil documentation"),
    ("cash-assistance", "Cash assistance"),
    ("food-security", "Food security"),
    ("information", "Information and counselling"),
];

/// Populations a program serves (code, English label).
pub const POPULATIONS: &[(&str, &str)] = &[
    ("refugees", "Refugees"),
    ("asylum-seekers", "Asylum seekers"),
    ("migrant-workers", "Migrant workers"),
    ("trafficked-persons", "Trafficked persons"),
    ("stateless-people", "Stateless people"),
    ("idps", "Internally displaced people"),
    ("returnees", "Returnees"),
    ("undocumented-migrants", "Undocumented migrants"),
    ("detained-migrants", "Migrants in detention"),
    (
        "unaccompanied-children",
        "Unaccompanied and separated children",
    ),
    ("women-and-girls", "Women and girls"),
    ("people-with-disabilities", "People with disabilities"),
    ("lgbtiq", "LGBTIQ+ people"),
    ("older-people", "Older people"),
];

fn label_of(list: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

pub fn theme_label(code: &str) -> Option<&'static str> {
    label_of(THEMES, code)
}

pub fn population_label(code: &str) -> Option<&'static str> {
    label_of(POPULATIONS, code)
}

pub fn country_name(code: &str) -> Option<&'static str> {
    label_of(COUNTRIES, code)
}

/// Checks every code against `list`; `field` names the field in the error.
fn check_codes(
    field: &'static str,
    codes: &[String],
    list: &[(&'static str, &'static str)],
) -> Result<(), FieldError> {
    match codes.iter().find(|c| label_of(list, c).is_none()) {
        None => Ok(()),
        Some(bad) => Err(FieldError::new(
            field,
            "unknown_code",
            format!("{field}: unknown code {bad:?} (see GET /api/v1/vocabularies)"),
        )
        .with("value", bad.as_str())),
    }
}

pub fn check_themes(codes: &[String]) -> Result<(), FieldError> {
    check_codes("themes", codes, THEMES)
}

pub fn check_populations(codes: &[String]) -> Result<(), FieldError> {
    check_codes("populations", codes, POPULATIONS)
}

pub fn check_countries(codes: &[String]) -> Result<(), FieldError> {
    check_codes("countries", codes, COUNTRIES)
}

/// A well-formed BCP 47 tag in the common shape: a 2-3 letter language, then optional
/// subtags of 1-8 letters or digits (`ms`, `en-AU`, `zh-Hant-TW`).
pub fn check_languages(tags: &[String]) -> Result<(), FieldError> {
    let well_formed = |tag: &str| {
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && parts
                .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
    };
    match tags.iter().find(|t| !well_formed(t)) {
        None => Ok(()),
        Some(bad) => Err(FieldError::new(
            "languages",
            "invalid_language",
            format!("languages: {bad:?} is not a BCP 47 language tag"),
        )
        .with("value", bad.as_str())),
    }
}

/// Free tags: short words of letters, digits, '-' or '_' (they become hashtags).
pub fn check_tags(tags: &[String]) -> Result<(), FieldError> {
    let ok = |t: &String| {
        !t.is_empty()
            && t.chars().count() <= 40
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    match tags.iter().find(|t| !ok(t)) {
        None => Ok(()),
        Some(bad) => Err(FieldError::new(
            "tags",
            "invalid_tag",
            format!("tags: {bad:?} must be 1 to 40 letters, digits, '-' or '_'"),
        )
        .with("value", bad.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn codes_are_checked() {
        assert!(check_themes(&v(&["legal-aid", "sgbv"])).is_ok());
        assert!(check_themes(&v(&["legal aid"])).is_err());
        assert!(check_populations(&v(&["stateless-people"])).is_ok());
        assert!(check_countries(&v(&["MY", "TH"])).is_ok());
        assert!(check_countries(&v(&["my"])).is_err());
        assert_eq!(country_name("MY"), Some("Malaysia"));
        assert!(check_languages(&v(&["ms", "en-AU", "zh-Hant-TW", "fil"])).is_ok());
        assert!(check_languages(&v(&["english"])).is_err());
        assert!(check_tags(&v(&["rohingya", "cox-bazar"])).is_ok());
        assert!(check_tags(&v(&["two words"])).is_err());
    }
}
