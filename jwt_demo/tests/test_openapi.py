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
    "/api/auth/email/": {"PATCH": {"200", "400", "401"}},
    "/api/auth/me/": {"GET": {"200", "401"}},
    "/api/auth/password/change/": {"POST": {"204", "400", "401"}},
    "/api/auth/password/forgot/": {"POST": {"202", "400", "429"}},
    "/api/auth/password/reset/": {"POST": {"204", "400", "429"}},
    "/api/auth/phone/": {"PATCH": {"200", "400", "401"}},
    "/api/auth/signup/": {"POST": {"201", "400"}},
    "/api/token/": {"POST": {"200", "400", "401", "429"}},
    "/api/token/blacklist/": {"POST": {"200", "400", "401"}},
    "/api/token/refresh/": {"POST": {"200", "400", "401"}},
    "/api/token/verify/": {"POST": {"200", "400", "401"}},
}


@pytest.fixture(scope="module")
def schema(openapi_schema):
    return openapi_schema


def test_schema_describes_the_hand_built_responses(schema):
    assert body(schema, "/api/auth/signup/", "post", "201")["properties"].keys() == {"user", "access", "refresh"}
    assert body(schema, "/api/auth/password/forgot/", "post", "202")["properties"].keys() == {"detail"}
    assert body(schema, "/api/auth/password/change/", "post", "204") is None
    assert body(schema, "/api/token/", "post", "200")["properties"].keys() == {"access", "refresh"}
    assert schema["paths"]["/api/auth/me/"]["get"]["security"] == [{"jwtAuth": []}]


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
