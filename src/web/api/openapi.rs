//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and served
//! (public: it describes, it holds no data) at `/api/v1/openapi.json`.
//!
//! Each module describes its own handlers (`doc()`); the per-kind publishing endpoints are
//! described here from the same list of kinds the router walks.

use super::objects::{DraftRequest, Page, Post};
use super::{
    accounts, admin, directory, follows, moderation, objects, referrals, subscriptions, ApiRoutes,
};
use crate::domain::objects::{Advocacy, ObjectKind, Offer, Practice, Program};
use crate::web::error::ErrorBody;
use axum::{http::Method, Json};
use std::sync::OnceLock;
use utoipa::openapi::{
    content::ContentBuilder,
    path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn},
    request_body::RequestBodyBuilder,
    response::{ResponseBuilder, Responses},
    schema::{AllOfBuilder, ArrayBuilder, ObjectBuilder, Type},
    security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
    OpenApi, Ref, RefOr, Required,
};
use utoipa::{IntoParams, OpenApi as _};

pub fn routes() -> ApiRoutes {
    ApiRoutes::default().on(Method::GET, "/api/v1/openapi.json", openapi_json)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Gotong staff API",
        description = "The JSON API of a Gotong node for its organisations' staff. Narrative, \
            roles and examples: docs/api.md in the source.",
    ),
    paths(openapi_json),
    components(schemas(ErrorBody, Post, DraftRequest, Program, Practice, Advocacy, Offer)),
    tags(
        (name = "accounts", description = "Setup, login, staff accounts, the organisation's profile"),
        (name = "publishing", description = "Updates, programs, practices, advocacy notes, referral offers; the home feed"),
        (name = "directory", description = "The public regional directory, its exports and vocabularies"),
        (name = "follows", description = "Following other organisations; deciding on followers"),
        (name = "referrals", description = "Casework: referrals, their status, messages, erasure, the audit log"),
        (name = "moderation", description = "Suspensions, removed objects, reports"),
        (name = "admin", description = "Delivery queue, federation policy, key rotation, who may refer"),
        (name = "subscriptions", description = "Domain lists subscribed from other nodes"),
        (name = "meta", description = "This document"),
    )
)]
struct ApiDoc;

/// The whole document, built once.
pub fn document() -> &'static OpenApi {
    static DOCUMENT: OnceLock<OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        for part in [
            accounts::doc(),
            admin::doc(),
            directory::doc(),
            follows::doc(),
            moderation::doc(),
            objects::doc(),
            referrals::doc(),
            subscriptions::doc(),
        ] {
            doc.merge(part);
        }
        add_kind_endpoints(&mut doc);
        add_security_and_errors(&mut doc);
        doc
    })
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API",
        body = Object)))]
async fn openapi_json() -> Json<&'static OpenApi> {
    Json(document())
}

/// The schema of a kind's own fields, `None` for updates (they have none).
fn details_schema(kind: ObjectKind) -> Option<&'static str> {
    match kind {
        ObjectKind::Update => None,
        ObjectKind::Program => Some("Program"),
        ObjectKind::Practice => Some("Practice"),
        ObjectKind::Advocacy => Some("Advocacy"),
        ObjectKind::Offer => Some("Offer"),
    }
}

/// `base` with the kind's fields at the same level.
fn with_details(base: &str, kind: ObjectKind) -> RefOr<utoipa::openapi::Schema> {
    let mut all = AllOfBuilder::new().item(Ref::from_schema_name(base));
    if let Some(details) = details_schema(kind) {
        all = all.item(Ref::from_schema_name(details));
    }
    RefOr::T(utoipa::openapi::Schema::AllOf(all.build()))
}

fn json_content(schema: impl Into<RefOr<utoipa::openapi::Schema>>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

/// The five endpoints of each kind (see `objects::routes`), with schemas named after the kind:
/// `ProgramPost` (what is answered), `ProgramDraft` (what is sent).
fn add_kind_endpoints(doc: &mut OpenApi) {
    let bearer = || SecurityRequirement::new("bearer", Vec::<String>::new());
    let uuid = ParameterBuilder::new()
        .name("uuid")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build();
    for kind in ObjectKind::all() {
        let name = kind.as_str();
        let title = details_schema(kind).unwrap_or("Update");
        let post = format!("{title}Post");
        let draft = format!("{title}Draft");
        let components = doc.components.get_or_insert_with(Default::default);
        components
            .schemas
            .insert(post.clone(), with_details("Post", kind));
        components
            .schemas
            .insert(draft.clone(), with_details("DraftRequest", kind));

        let one = || json_content(Ref::from_schema_name(&post));
        let body = || {
            RequestBodyBuilder::new()
                .content(
                    "application/json",
                    json_content(Ref::from_schema_name(&draft)),
                )
                .required(Some(Required::True))
                .build()
        };
        let op = |id: &str, summary: String| {
            OperationBuilder::new()
                .tag("publishing")
                .operation_id(Some(format!("{id}_{name}")))
                .summary(Some(summary))
                .security(bearer())
        };
        let collection = format!("/api/v1/{}", kind.plural());
        let item = format!("{collection}/{{uuid}}");
        let paths = &mut doc.paths;
        paths.add_path_operation(
            &collection,
            vec![HttpMethod::Get],
            op(
                "list",
                format!("The organisation's {name} posts, newest first"),
            )
            .parameters(Some(Page::into_params(|| Some(ParameterIn::Query))))
            .response(
                "200",
                ResponseBuilder::new().description("A page").content(
                    "application/json",
                    json_content(ArrayBuilder::new().items(Ref::from_schema_name(&post))),
                ),
            ),
        );
        paths.add_path_operation(
            &collection,
            vec![HttpMethod::Post],
            op("create", format!("Publishes a {name}"))
                .request_body(Some(body()))
                .response("422", Ref::from_response_name("Error"))
                .response(
                    "201",
                    ResponseBuilder::new()
                        .description("Published and sent to followers")
                        .content("application/json", one()),
                ),
        );
        paths.add_path_operation(
            &item,
            vec![HttpMethod::Get],
            op("show", format!("One {name} of the organisation"))
                .parameter(uuid.clone())
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("The post")
                        .content("application/json", one()),
                ),
        );
        paths.add_path_operation(
            &item,
            vec![HttpMethod::Patch],
            op(
                "edit",
                format!("Edits a {name}; absent fields keep their value"),
            )
            .parameter(uuid.clone())
            .request_body(Some(body()))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The edited post")
                    .content("application/json", one()),
            ),
        );
        paths.add_path_operation(
            &item,
            vec![HttpMethod::Delete],
            op("delete", format!("Deletes a {name} here and at followers"))
                .parameter(uuid.clone())
                .response("204", ResponseBuilder::new().description("Deleted")),
        );
    }
}

/// The bearer token scheme, and the error answer every operation may give.
fn add_security_and_errors(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("An API token from /api/v1/login or /api/v1/setup"))
                .build(),
        ),
    );
    components.responses.insert(
        "Error".into(),
        ResponseBuilder::new()
            .description("Refused: `error` says why; `fields` lists the fields at fault (422)")
            .content(
                "application/json",
                json_content(Ref::from_schema_name("ErrorBody")),
            )
            .build()
            .into(),
    );
    for item in doc.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let responses: &mut Responses = &mut operation.responses;
            responses
                .responses
                .entry("default".into())
                .or_insert_with(|| Ref::from_response_name("Error").into());
        }
    }
}
