"""The OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (drf-spectacular).

The schema must generate without a single warning (a warning means drf-spectacular
guessed), validate against the OpenAPI 3 specification, and describe what the views
really answer, errors included. The docs page loads Swagger UI from our own /static/,
never from a CDN, in development and in production mode alike.
"""

import pytest

from demo_harness import openapi
from demo_harness.openapi import documented_statuses
from demo_harness.openapi import response_body as body

# Every operation and the status codes it documents: a view's error responses included.
OPERATIONS = {
    "/demotoken/login/": {"POST": {"200", "400", "429"}},
    "/demotoken/logout/": {"POST": {"204", "401"}},
    "/demotoken/pitfalls/session-first/": {"GET": {"200", "403"}, "POST": {"200", "403"}},
    "/demotoken/pitfalls/token-first/": {"GET": {"200", "401"}, "POST": {"200", "401"}},
    "/demotoken/register/": {"POST": {"201", "400"}},
    "/demotoken/secure/": {"GET": {"200", "401"}, "POST": {"200", "401"}},
}


@pytest.fixture(scope="module")
def schema(openapi_schema):
    return openapi_schema


def test_schema_describes_the_hand_built_responses(schema):
    registered = body(schema, "/demotoken/register/", "post", "201")
    assert registered["properties"].keys() == {"response", "username", "token"}
    assert body(schema, "/demotoken/login/", "post", "200")["properties"].keys() == {"token"}
    assert body(schema, "/demotoken/secure/", "get", "200")["properties"].keys() == {"message"}
    assert body(schema, "/demotoken/logout/", "post", "204") is None
    assert schema["paths"]["/demotoken/secure/"]["get"]["security"] == [{"tokenAuth": []}]


# --- the checks every API demo passes (demo_harness/openapi.py) -----------------------
def test_schema_generates_without_warnings_and_documents_every_status_code(schema):
    assert documented_statuses(schema) == OPERATIONS


def test_error_responses_have_drfs_shapes_and_no_response_promises_a_password(schema):
    openapi.assert_error_shapes(schema)
    openapi.assert_no_response_promises_a_password(schema)


@pytest.mark.django_db
def test_schema_and_docs_page_are_served_with_local_assets_only(client, schema):
    openapi.assert_served_in_development(client, schema)


def test_production_mode_serves_the_schema_the_docs_and_their_assets(
    demo_dir, manage_py, production_environment, tmp_path
):
    openapi.assert_served_in_production(demo_dir, manage_py, production_environment, tmp_path / "static", OPERATIONS)
