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
    "/api/auth/signup/": {"POST": {"201", "400", "413", "415", "429"}},
    "/api/auth/token/": {"POST": {"200", "400", "413", "415", "429"}},
    "/api/auth/verify-email/": {"POST": {"200", "400", "413", "415", "429"}},
    "/api/contacts/": {"GET": {"200", "401", "404"}},
    "/api/contacts/import/": {"PUT": {"202", "400", "401", "413", "415", "429"}},
    "/api/contacts/imports/{id}/": {"GET": {"200", "401", "404"}},
    "/api/contacts/invite/": {"POST": {"200", "400", "401", "413", "415"}},
    "/api/contacts/phone-import-recorded/": {"GET": {"200", "401"}},
}


@pytest.fixture(scope="module")
def schema(openapi_schema):
    return openapi_schema


def test_schema_describes_the_hand_built_responses(schema):
    assert body(schema, "/api/contacts/import/", "put", "202")["properties"].keys() == {"import_id"}
    assert body(schema, "/api/contacts/phone-import-recorded/", "get", "200")["properties"].keys() == {"recorded"}
    assert body(schema, "/api/contacts/invite/", "post", "200")["properties"].keys() == {
        "invited",
        "reminded",
        "unchanged",
    }
    assert body(schema, "/api/auth/token/", "post", "200")["properties"].keys() == {"token"}
    page = body(schema, "/api/contacts/", "get", "200")["properties"]
    assert page.keys() == {"count", "next", "previous", "results"}
    # Sign-up and the token are public: Swagger UI sends no credentials to them.
    assert schema["paths"]["/api/auth/token/"]["post"]["security"] == [{}]
    assert schema["paths"]["/api/contacts/"]["get"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]


def test_schema_describes_the_three_upload_formats_of_the_import(schema):
    operation = schema["paths"]["/api/contacts/import/"]["put"]
    content = operation["requestBody"]["content"]
    assert content.keys() == {"application/json", "text/csv", "multipart/form-data"}
    as_list, as_object = content["application/json"]["schema"]["oneOf"]
    assert as_list["type"] == "array" and as_list["minItems"] == 1
    assert as_list["items"]["properties"].keys() == {"name", "phone", "email", "phone_code"}
    assert as_object["required"] == ["contacts"]
    assert content["text/csv"]["schema"]["type"] == "string"
    assert content["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"
    assert [p["name"] for p in operation["parameters"]] == ["source"]


@pytest.mark.django_db
def test_documented_invalid_page_is_a_404_with_a_detail(alice_client):
    response = alice_client.get("/api/contacts/", {"page": 2})  # past the last page
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


class TestOpenAPIContract(OpenAPIContract):
    """The checks every API demo passes (demo_harness/openapi.py)."""

    operations = OPERATIONS
