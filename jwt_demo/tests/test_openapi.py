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
OPERATIONS = {
    "/api/auth/email/": {"PATCH": {"200", "400", "413", "415", "401", "429"}},
    "/api/auth/me/": {"GET": {"200", "401"}},
    "/api/auth/password/change/": {"POST": {"204", "400", "413", "415", "401", "429"}},
    "/api/auth/password/forgot/": {"POST": {"202", "400", "413", "415", "429"}},
    "/api/auth/password/reset/": {"POST": {"204", "400", "413", "415", "429"}},
    "/api/auth/phone/": {"PATCH": {"200", "400", "413", "415", "401", "429"}},
    "/api/auth/signup/": {"POST": {"201", "400", "413", "415", "429"}},
    "/api/token/": {"POST": {"200", "400", "413", "415", "401", "429"}},
    "/api/token/blacklist/": {"POST": {"200", "400", "413", "415", "401"}},
    "/api/token/refresh/": {"POST": {"200", "400", "413", "415", "401"}},
    "/api/token/verify/": {"POST": {"200", "400", "413", "415", "401"}},
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


class TestOpenAPIContract(OpenAPIContract):
    """The checks every API demo passes (demo_harness/openapi.py)."""

    operations = OPERATIONS
