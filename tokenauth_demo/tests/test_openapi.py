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
    "/demotoken/login/": {"POST": {"200", "400", "413", "415", "429"}},
    "/demotoken/logout/": {"POST": {"204", "401"}},
    "/demotoken/pitfalls/token-first/": {"GET": {"200", "401"}, "POST": {"200", "401"}},
    "/demotoken/register/": {"POST": {"201", "400", "413", "415", "429"}},
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


class TestOpenAPIContract(OpenAPIContract):
    """The checks every API demo passes (demo_harness/openapi.py)."""

    operations = OPERATIONS
