//! docs/openapi.yaml parses as OpenAPI 3.1 and documents every route the router serves, with
//! the right method, and an error response for each API route.

use serde_json::Value;

#[test]
fn the_openapi_file_lists_every_route_of_the_router() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/openapi.yaml"))
            .unwrap();
    let spec: Value = serde_yaml_ng::from_str(&text).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let routes = tessera_server::http::routes();
    assert!(routes.len() >= 10, "{routes:?}");
    for (method, path) in routes {
        let operation = &spec["paths"][path][method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {path} is not in docs/openapi.yaml"
        );
        let responses = operation["responses"].as_object().unwrap();
        if path.starts_with("/api/") {
            assert!(
                responses.contains_key("default"),
                "{method} {path}: no error response"
            );
        }
    }
}
