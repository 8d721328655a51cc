//! Sample organisations and what they publish in the demo. Invented, but shaped like the
//! real work of National Societies and refugee-rights groups in the region.

use super::DemoOrg;
use serde_json::{json, Value};

pub const ORGANISATIONS: [DemoOrg; 3] = [
    DemoOrg {
        handle: "redcross-au",
        name: "Red Cross Australia (demo)",
        summary: "Humanitarian services for people on the move in Australia. Demo data.",
        posts: australia,
    },
    DemoOrg {
        handle: "redcross-ph",
        name: "Red Cross Philippines (demo)",
        summary: "Disaster response and migrant support across the Philippines. Demo data.",
        posts: philippines,
    },
    DemoOrg {
        handle: "rights-network",
        name: "Regional Refugee Rights Network (demo)",
        summary: "A network of civil-society groups defending refugee rights. Demo data.",
        posts: network,
    },
];

fn australia() -> Vec<(&'static str, Value)> {
    vec![
        (
            "programs",
            json!({
                "name": "Support for trafficked people",
                "summary": "Case management, safe housing and legal referrals for people who experienced trafficking or forced marriage.",
                "text": "Caseworkers help people find safe accommodation, income support, medical care and legal advice.\n\nReferrals are accepted from other organisations with the person's consent.",
                "themes": ["trafficking", "legal-aid", "shelter"], "countries": ["AU"],
                "areas": ["New South Wales", "Victoria", "Queensland"],
                "populations": ["trafficked-persons", "women-and-girls"],
                "languages": ["en", "th", "vi"], "eligibility": "People identified as trafficked or at risk of forced marriage",
                "referralRequired": true, "intakeCriteria": "Consent of the person; referral by a partner agency",
                "howToRefer": "Send a Gotong referral to this program",
                "contacts": [{ "name": "National intake", "role": "intake", "email": "intake@demo.invalid", "phone": "+61 2 0000 0000" }],
                "acceptingReferrals": true, "regardlessOfLegalStatus": true, "noReportingToAuthorities": true,
                "complaintsMechanism": "Feedback line and independent complaints officer", "tags": ["casework"]
            }),
        ),
        (
            "programs",
            json!({
                "name": "Restoring family links",
                "summary": "Tracing and messages for families separated by conflict, disaster or migration.",
                "themes": ["restoring-family-links"], "countries": ["AU"],
                "populations": ["refugees", "asylum-seekers", "unaccompanied-children"],
                "languages": ["en", "ar", "fa", "my"], "acceptingReferrals": true, "regardlessOfLegalStatus": true
            }),
        ),
        (
            "practices",
            json!({
                "name": "Consent conversations with interpreters",
                "summary": "How caseworkers explain referrals so consent is informed.",
                "text": "Book the same interpreter for every session; explain who will see which information; record consent in the person's words.",
                "themes": ["trafficking"], "countries": ["AU"],
                "evidence": "Internal review of 120 cases", "outcomes": "Fewer withdrawn consents"
            }),
        ),
        (
            "updates",
            json!({ "text": "Our caseworkers are at the regional protection meeting this week." }),
        ),
    ]
}

fn philippines() -> Vec<(&'static str, Value)> {
    vec![
        (
            "programs",
            json!({
                "name": "Migrant help desks",
                "summary": "Information and referrals for departing and returning migrant workers.",
                "text": "Help desks at ports and airports give information on rights, safe migration and services abroad.",
                "themes": ["migration", "information"], "countries": ["PH"], "areas": ["Manila", "Cebu", "Davao"],
                "populations": ["migrant-workers", "returnees"], "languages": ["fil", "en", "ceb"],
                "acceptingReferrals": true, "regardlessOfLegalStatus": true, "tags": ["ofw"]
            }),
        ),
        (
            "programs",
            json!({
                "name": "Shelter after typhoons",
                "summary": "Emergency shelter kits and cash for displaced families.",
                "themes": ["disaster-displacement", "shelter", "cash-assistance"], "countries": ["PH"],
                "populations": ["idps"], "languages": ["fil", "war"], "status": "temporarily-closed"
            }),
        ),
        (
            "offers",
            json!({
                "name": "Places for returning workers needing legal advice",
                "text": "Twenty places this month for returnees with unpaid wages abroad.",
                "capacity": 20, "criteria": "Returned within the last six months",
                "area": "Metro Manila", "countries": ["PH"]
            }),
        ),
        (
            "advocacy",
            json!({
                "name": "Protect migrant workers in disasters",
                "summary": "Recommendations to governments of host countries.",
                "text": "Include migrant workers in early warning, evacuation and relief, whatever their status.",
                "themes": ["migration", "disaster-displacement"], "countries": ["PH", "MY", "SG"],
                "audience": ["national governments", "ASEAN"]
            }),
        ),
    ]
}

fn network() -> Vec<(&'static str, Value)> {
    vec![
        (
            "programs",
            json!({
                "name": "Refugee legal aid clinic",
                "summary": "Free legal aid for refugees and asylum seekers in Malaysia.",
                "text": "Volunteer lawyers advise on registration, detention and employment problems.",
                "themes": ["legal-aid", "detention"], "countries": ["MY"], "areas": ["Kuala Lumpur", "Penang"],
                "populations": ["refugees", "asylum-seekers", "stateless-people"],
                "languages": ["ms", "en", "my", "ta"], "acceptingReferrals": true,
                "regardlessOfLegalStatus": true, "noReportingToAuthorities": true,
                "complaintsMechanism": "Complaints to the network's board"
            }),
        ),
        (
            "advocacy",
            json!({
                "name": "Alternatives to immigration detention for children",
                "summary": "A briefing for the regional consultation.",
                "text": "No child should be detained for immigration reasons; community placement works and costs less.",
                "themes": ["detention", "child-protection"], "countries": ["MY", "TH", "ID"],
                "audience": ["ASEAN", "national human rights institutions"]
            }),
        ),
        (
            "practices",
            json!({
                "name": "Paralegal training in refugee communities",
                "summary": "Community paralegals extend the reach of scarce lawyers.",
                "themes": ["legal-aid"], "countries": ["MY", "TH"],
                "evidence": "Two-year pilot with 40 paralegals", "outcomes": "Three times as many people advised"
            }),
        ),
    ]
}
