"""The OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (drf-spectacular):
the HTTP half of the chat. (WebSockets are not HTTP operations: chat/closing.py and the
README document them.)"""

import pytest

from demo_harness.openapi import OpenAPIContract
from demo_harness.openapi import response_body as body

BODY = {"413", "415"}
OPERATIONS = {
    "/api/auth/ticket/": {"POST": {"201", "400", "429", *BODY}},
    "/api/rooms/{room}/messages/": {"GET": {"200", "400", "403", "404"}},
}


@pytest.fixture(scope="module")
def schema(openapi_schema):
    return openapi_schema


def test_schema_describes_a_ticket_and_a_history_page(schema):
    assert body(schema, "/api/auth/ticket/", "post", "201")["properties"].keys() == {"ticket", "expires_in"}
    page = body(schema, "/api/rooms/{room}/messages/", "get", "200")
    assert page["properties"].keys() == {"results", "previous", "next"}
    parameters = schema["paths"]["/api/rooms/{room}/messages/"]["get"]["parameters"]
    (room,) = [parameter for parameter in parameters if parameter["name"] == "room"]
    assert room["schema"]["pattern"] == "^[a-z0-9][a-z0-9-]{0,49}$"  # the WebSocket route's too


class TestOpenAPIContract(OpenAPIContract):
    """The checks every API demo passes (demo_harness/openapi.py)."""

    operations = OPERATIONS
