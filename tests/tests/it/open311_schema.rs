//! The Open311 GeoReport v2 JSON Schemas (`../shared/data/open311/schemas/
//! georeport-v2`, or under `GRIDLINE_SHARED_DATA`), read as they are: their
//! `$ref`s name sibling files, fetched from that directory. Formats
//! (`date-time`) are checked.

use jsonschema::{Retrieve, Uri, Validator};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Which document a response is.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Services,
    Definition,
    Requests,
    /// The answer to `POST requests` (swagger.json's `RequestResponse`).
    Posted,
    /// The answer to `GET tokens/…` (swagger.json's `TokenResponse`).
    Token,
}

fn dir() -> PathBuf {
    std::env::var_os("GRIDLINE_SHARED_DATA")
        .map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
            PathBuf::from,
        )
        .join("open311/schemas/georeport-v2")
}

fn read(name: &str) -> Value {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}: set GRIDLINE_SHARED_DATA", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Serves `$ref: "service.json"` from the schema directory.
struct Siblings;

impl Retrieve for Siblings {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default();
        Ok(read(name))
    }
}

/// An array of one of swagger.json's definitions.
fn swagger_array(definition: &str) -> Value {
    let swagger = read("swagger.json");
    json!({ "type": "array", "items": swagger["definitions"][definition] })
}

fn validator(shape: Shape) -> Validator {
    let schema = match shape {
        Shape::Services => read("services.json"),
        Shape::Definition => read("service-definition.json"),
        Shape::Requests => read("requests.json"),
        Shape::Posted => swagger_array("RequestResponse"),
        Shape::Token => swagger_array("TokenResponse"),
    };
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_base_uri("file:///georeport-v2/schema.json")
        .with_retriever(Siblings)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{shape:?} schema: {e}"))
}

/// Panics with every violation when `v` is not a valid `shape`.
pub fn assert_valid(shape: Shape, v: &Value) {
    let errors: Vec<String> = validator(shape)
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{shape:?} does not validate:\n{}\n{v:#}",
        errors.join("\n")
    );
}

#[test]
fn the_schemas_reject_what_the_spec_forbids() {
    // The checks have teeth: a request missing its id, a closed-world
    // status, a time without a zone.
    let good = json!([{
        "service_request_id": "1", "status": "open", "service_code": "x",
        "requested_datetime": "2026-11-21T10:00:00+08:00"
    }]);
    assert_valid(Shape::Requests, &good);
    for bad in [
        json!([{ "status": "open", "service_code": "x", "requested_datetime": "2026-11-21T10:00:00Z" }]),
        json!([{ "service_request_id": "1", "status": "pending", "service_code": "x", "requested_datetime": "2026-11-21T10:00:00Z" }]),
        json!([{ "service_request_id": "1", "status": "open", "service_code": "x", "requested_datetime": "2026-11-21 10:00" }]),
        json!([{ "service_request_id": 1, "status": "open", "service_code": "x", "requested_datetime": "2026-11-21T10:00:00Z" }]),
    ] {
        assert!(
            validator(Shape::Requests)
                .iter_errors(&bad)
                .next()
                .is_some(),
            "accepted {bad}"
        );
    }
}
