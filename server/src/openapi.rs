//! The OpenAPI 3.1 description of REST v1, generated from the handlers'
//! annotations, and a small documentation page made from it (our own HTML,
//! nothing from a CDN).

use crate::rest;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi as Doc, Ref, RefOr};
use utoipa::{Modify, OpenApi};

const ERRORS: &[(&str, &str)] = &[
    (
        "400",
        "Malformed request: bad JSON, query parameter or cursor",
    ),
    ("401", "Not signed in, or the session ended"),
    ("403", "Not allowed for the caller"),
    ("404", "No such resource, or one the caller may not see"),
    ("409", "Changed by someone else since the given version"),
    ("413", "Request body larger than 256 KiB"),
    ("415", "Request body is not application/json"),
    ("422", "Invalid input, or not possible in the current state"),
    ("429", "Too many attempts; see Retry-After"),
    ("500", "Unexpected server error"),
    (
        "503",
        "Overloaded or the database is unreachable; see Retry-After",
    ),
];

/// Adds the security schemes and the shared error answers to every
/// operation, so each documented status has its body schema.
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, openapi: &mut Doc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::web::ACCESS_COOKIE))),
        );
        let problem = ContentBuilder::new()
            .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
            .build();
        let secured = vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("cookie", Vec::<String>::new()),
        ];
        for item in openapi.paths.paths.values_mut() {
            let operations: [&mut Option<Operation>; 5] = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for op in operations.into_iter().flatten() {
                for (code, description) in ERRORS {
                    op.responses
                        .responses
                        .entry((*code).to_string())
                        .or_insert_with(|| {
                            RefOr::T(
                                ResponseBuilder::new()
                                    .description(*description)
                                    .content("application/problem+json", problem.clone())
                                    .build(),
                            )
                        });
                }
                if op.security.is_none() {
                    op.security = Some(secured.clone());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "GA Desk API",
        version = "1",
        description = "The General Affairs service desk: tickets with Rupiah amounts, approvals by amount, fulfilment, assets, consumable stock, users. \
Amounts are decimal strings (\"1500000.00\"). Every change carries the version you saw (If-Match or `version`); \
a stale one is 409 with the current version. Errors are application/problem+json with a stable `code` \
(every code is listed in the Refusal and FieldError schemas), its `params`, and `detail` in English or, \
with `Accept-Language: id`, in Indonesian."
    ),
    components(schemas(
        crate::rest::error::Problem,
        app::domain::Refusal,
        app::domain::FieldError,
        app::domain::ErrorKind,
        crate::rest::tickets::TicketAction
    )),
    tags(
        (name = "auth", description = "Signing in, sessions, the caller"),
        (name = "tickets", description = "Requests to General Affairs"),
        (name = "ticket actions", description = "Transitions of the ticket state machine"),
        (name = "users", description = "Accounts and the security log (administrators)"),
        (name = "settings", description = "The approval policy"),
        (name = "reports", description = "Summaries for approvers and administrators"),
        (name = "assets", description = "The asset register (read: everyone; change: GA staff)"),
        (name = "asset actions", description = "Check out, check in, move, maintenance, retire"),
        (name = "stock", description = "Consumable stock and its movements"),
        (name = "notifications", description = "What happened to the caller's requests and work; email and webhook delivery"),
        (name = "service levels", description = "Sites, their working hours and holidays, targets per category and priority, out-of-office delegation"),
        (name = "bookings", description = "Meeting rooms, pool cars and equipment: finding what is free, booking (also recurring), check-in, approval, drivers"),
    )
)]
pub struct ApiDoc;

/// The whole description: the operations the router serves, with the
/// conventions every operation shares.
pub fn openapi() -> Doc {
    let (_, mut doc) = rest::api().split_for_parts();
    Conventions.modify(&mut doc);
    doc
}

/// The document, built once.
pub fn document() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| openapi().to_pretty_json().unwrap_or_else(|_| "{}".into()))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A readable page listing every operation with its parameters, body and
/// answers, made on the server from the same document.
pub fn docs_page() -> &'static str {
    static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PAGE.get_or_init(|| {
        let doc = openapi();
        let mut html = String::from(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>GA Desk API</title><link rel=\"stylesheet\" href=\"/pkg/gadesk.css\"></head><body><main class=\"content api-docs\">",
        );
        html.push_str(&format!(
            "<h1>{} v{}</h1><p>{}</p><p><a class=\"btn\" href=\"/api/v1/openapi.json\">openapi.json</a></p>",
            escape(&doc.info.title),
            escape(&doc.info.version),
            escape(doc.info.description.as_deref().unwrap_or_default())
        ));
        for (path, item) in &doc.paths.paths {
            let ops = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                html.push_str(&format!(
                    "<section class=\"card\" id=\"{}\"><h2><code>{method} {}</code></h2>",
                    escape(op.operation_id.as_deref().unwrap_or_default()),
                    escape(path)
                ));
                if let Some(d) = op.description.as_deref().or(op.summary.as_deref()) {
                    html.push_str(&format!("<p>{}</p>", escape(d)));
                }
                if let Some(params) = &op.parameters {
                    html.push_str("<h3>Parameters</h3><ul>");
                    for p in params.iter().filter_map(|p| match p {
                        RefOr::T(p) => Some(p),
                        RefOr::Ref(_) => None,
                    }) {
                        html.push_str(&format!(
                            "<li><code>{}</code> ({}){}{}</li>",
                            escape(&p.name),
                            serde_json::to_value(&p.parameter_in).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                            if matches!(p.required, utoipa::openapi::Required::True) { " required" } else { "" },
                            p.description.as_deref().map(|d| format!(": {}", escape(d))).unwrap_or_default()
                        ));
                    }
                    html.push_str("</ul>");
                }
                if let Some(body) = &op.request_body {
                    let schema = serde_json::to_string_pretty(body).unwrap_or_default();
                    html.push_str(&format!("<h3>Request body</h3><pre>{}</pre>", escape(&schema)));
                }
                html.push_str("<h3>Answers</h3><ul>");
                for (code, r) in &op.responses.responses {
                    let description = match r {
                        RefOr::T(r) => r.description.clone(),
                        RefOr::Ref(r) => r.ref_location.clone(),
                    };
                    html.push_str(&format!("<li><strong>{}</strong> {}</li>", escape(code), escape(&description)));
                }
                html.push_str("</ul></section>");
            }
        }
        html.push_str("</main></body></html>");
        html
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_with_errors_and_security() {
        let doc: serde_json::Value = serde_json::from_str(document()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() >= 25, "{}", paths.len());
        for (path, item) in paths {
            for (method, op) in item.as_object().unwrap() {
                for code in ["400", "401", "422", "500"] {
                    assert!(
                        op["responses"][code].is_object(),
                        "{method} {path} lacks {code}"
                    );
                }
                assert!(op["security"].is_array(), "{method} {path}");
            }
        }
        assert_eq!(
            paths["/api/v1/auth/login"]["post"]["security"],
            serde_json::json!([{}])
        );
        assert!(doc["components"]["schemas"]["Problem"].is_object());
        let codes = doc["components"]["schemas"]["Refusal"]["properties"]["code"]["enum"]
            .as_array()
            .unwrap();
        assert!(codes.iter().any(|c| c == "own_request"));
        assert!(docs_page().contains("/api/v1/tickets/{id}/{action}"));
        assert!(
            doc["components"]["schemas"]["Money"].is_object() || document().contains("^(0|[1-9]")
        );
    }
}
