import pytest

from demo_harness import openapi

SCHEMA = {
    "paths": {
        "/things/": {
            "get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/x/Thing"}}}}}},
            "delete": {"responses": {"204": {}, "404": {"content": {"application/json": {"schema": {}}}}}},
        }
    },
    "components": {
        "schemas": {
            "Thing": {"properties": {"id": {}, "name": {}}},
            "ThingRequest": {"properties": {"name": {}, "password": {}}},
            "ErrorDetail": {"required": ["detail"]},
        }
    },
}


def test_documented_statuses_and_response_bodies():
    assert openapi.documented_statuses(SCHEMA) == {"/things/": {"GET": {"200"}, "DELETE": {"204", "404"}}}
    assert openapi.response_body(SCHEMA, "/things/", "get", "200")["properties"].keys() == {"id", "name"}
    assert openapi.response_body(SCHEMA, "/things/", "delete", "204") is None


def test_a_request_may_take_a_password_but_no_response_may_promise_one():
    openapi.assert_no_response_promises_a_password(SCHEMA)
    leaky = {"components": {"schemas": {"Thing": {"properties": {"password": {}}}}}}
    with pytest.raises(AssertionError, match="Thing"):
        openapi.assert_no_response_promises_a_password(leaky)


def test_an_error_response_not_shaped_like_drfs_fails():
    with pytest.raises(AssertionError, match="404"):
        openapi.assert_error_shapes(SCHEMA)


def test_a_docs_page_without_assets_fails():
    with pytest.raises(AssertionError, match="no assets"):
        openapi.local_assets("<html></html>")
    assert openapi.local_assets('<script src="/static/a.js"></script>') == ["/static/a.js"]


def test_a_property_of_several_shapes_is_bounded_only_when_every_shape_is():
    from demo_harness.openapi import unbounded_inputs

    def schema(email):
        body = {"type": "object", "properties": {"email": email}}
        operation = {"requestBody": {"content": {"application/json": {"schema": body}}}}
        return {"paths": {"/x/": {"post": operation}}, "components": {"schemas": {}}}

    optional_email = {"oneOf": [{"type": "string", "maxLength": 254}, {"type": "string", "maxLength": 0}]}
    assert unbounded_inputs(schema(optional_email)) == []
    half_bounded = {"anyOf": [{"type": "string", "maxLength": 254}, {"type": "string"}]}
    assert unbounded_inputs(schema(half_bounded)) == ["POST /x/ email: a string without maxLength"]
    assert unbounded_inputs(schema({"type": "array", "items": {"type": "integer"}})) == [
        "POST /x/ email: a list without maxItems"
    ]
