//! Operational routes: health, Prometheus metrics, the OpenAPI document, and the JSON 404 fallback.

use crate::error::ApiError;
use crate::routes::{Access, ROUTES};
use crate::AppState;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};
use siaga_api::Health;

/// `GET /v1/health`: 200 when the database answers, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let ok = state.store.ping().await;
    let body = Health {
        status: if ok { "ok" } else { "database_unavailable" }.to_owned(),
        database: state.store.backend.name().to_owned(),
        nats: state.outbox,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(state.store.backend.name()),
    )
}

/// `GET /v1/openapi.json`.
pub async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

/// Unknown paths get a JSON 404 like every other failure.
pub async fn not_found() -> ApiError {
    ApiError::not_found("route")
}

/// The OpenAPI 3.1 document of [`ROUTES`]: every path, method, who may call it, and its bodies.
pub fn openapi_document() -> Value {
    let mut paths = Map::new();
    for spec in ROUTES {
        let parameters: Vec<Value> = spec
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let (security, roles) = match spec.access {
            Access::Public => (json!([]), Vec::new()),
            Access::Roles(roles) => (
                json!([{"bearer": []}]),
                roles.iter().map(|role| role.code()).collect(),
            ),
        };
        let mut operation = json!({
            "summary": spec.summary,
            "parameters": parameters,
            "security": security,
            "x-roles": roles,
            "x-polda-scoped": spec.polda_scoped,
            "responses": {
                "200": {"description": spec.response},
                "4XX": {"description": "ErrorBody", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
            }
        });
        if let Some(request) = spec.request {
            let media = if request.contains("XML") {
                "application/xml"
            } else if request.starts_with("image/") {
                request
            } else {
                "application/json"
            };
            operation["requestBody"] =
                json!({"required": true, "description": request, "content": {media: {}}});
        }
        let entry = paths
            .entry(spec.path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        entry[spec.method.to_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Siaga 110 central API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"ErrorBody": {"type": "object", "required": ["error", "message"], "properties": {
                "error": {"type": "string"}, "message": {"type": "string"}}}}
        }
    })
}
