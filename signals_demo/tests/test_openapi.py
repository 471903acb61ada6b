"""The OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (drf-spectacular).

The schema must generate without a single warning (a warning means drf-spectacular
guessed), validate against the OpenAPI 3 specification, and describe what the views
really answer, errors included. The docs page loads Swagger UI from our own /static/,
never from a CDN, in development and in production mode alike.
"""

import pytest

from demo_harness.openapi import OpenAPIContract
from demo_harness.openapi import response_body as body

# Every operation and the status codes it documents: a view's error responses included.
# BODY: what every operation that takes a body may answer before its view runs (a body
# too large, or of a type none of the parsers reads).
BODY = {"413", "415"}
OPERATIONS = {
    "/api/auth/login/": {"GET": {"200"}, "POST": {"200", "400", "403", "429", *BODY}},
    "/api/auth/logout/": {"POST": {"204"}},
    "/api/events/": {"GET": {"200", "403"}},
    "/api/students/": {"GET": {"200"}, "POST": {"201", "400", *BODY}},
    "/api/students/{id}/": {
        "GET": {"200", "404"},
        "PUT": {"200", "400", "404", *BODY},
        "PATCH": {"200", "400", "404", *BODY},
        "DELETE": {"204", "404"},
    },
    "/api/students/{id}/picture/": {"PUT": {"200", "400", "404", *BODY}, "DELETE": {"204", "404"}},
}


@pytest.fixture(scope="module")
def schema(openapi_schema):
    return openapi_schema


def test_schema_describes_the_hand_built_login_and_logout_responses(schema):
    assert body(schema, "/api/auth/login/", "post", "200")["properties"].keys() == {"username"}
    assert body(schema, "/api/auth/logout/", "post", "204") is None  # 204: no body at all


class TestOpenAPIContract(OpenAPIContract):
    """The checks every API demo passes (demo_harness/openapi.py)."""

    operations = OPERATIONS
