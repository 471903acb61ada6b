"""The OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (drf-spectacular).

The schema must generate without a single warning (a warning means drf-spectacular
guessed), validate against the OpenAPI 3 specification, and describe what the views
really answer, errors included. The docs page loads Swagger UI from our own /static/,
never from a CDN, in development and in production mode alike.
"""

import pytest

from demo_harness.openapi import OpenAPIContract

# Every operation and the status codes it documents: a view's error responses included.
OPERATIONS = {
    "/api/hits/": {"GET": {"200", "400", "401", "403"}},
    "/api/notes/": {"GET": {"200", "401"}, "POST": {"201", "400", "413", "415", "401"}},
    "/api/notes/{id}/": {
        "GET": {"200", "401", "404"},
        "PUT": {"200", "400", "413", "415", "401", "404"},
        "PATCH": {"200", "400", "413", "415", "401", "404"},
        "DELETE": {"204", "401", "404"},
    },
    "/api/notes/{id}/history/": {"GET": {"200", "400", "401", "404"}},
    "/api/token/": {"POST": {"200", "400", "413", "415", "401", "429"}},
    "/api/token/refresh/": {"POST": {"200", "400", "413", "415", "401"}},
    "/api/users/{id}/history/": {"GET": {"200", "400", "401", "403", "404"}},
}


@pytest.fixture(scope="module")
def schema(openapi_schema):
    return openapi_schema


def test_schema_describes_the_audit_entries_and_the_hit_log_limit(schema):
    entry = schema["components"]["schemas"]["LogEntry"]["properties"]
    action = schema["components"]["schemas"][entry["action"]["allOf"][0]["$ref"].rsplit("/", 1)[1]]  # an enum component
    assert action["enum"] == ["create", "update", "delete", "access"]
    assert entry["changes"]["additionalProperties"]["type"] == "array"
    (limit,) = schema["paths"]["/api/hits/"]["get"]["parameters"]
    assert (limit["name"], limit["schema"]["minimum"], limit["schema"]["maximum"]) == ("limit", 1, 1000)
    assert schema["paths"]["/api/notes/"]["get"]["security"] == [{"jwtAuth": []}]


# --- found by the fuzzer (shared/fuzz/run_fuzz.py): the schema promised a string, the
# API answered null. Both fields are now documented as nullable.
@pytest.mark.django_db
def test_fuzz_regression_an_entry_without_an_actor_is_null_and_documented_nullable(bearer, schema, ann, staff):
    # `ann` was created outside any request (like createsuperuser): nobody to record.
    (entry,) = bearer(staff).get(f"/api/users/{ann.pk}/history/").json()
    assert entry["actor"] is None
    assert schema["components"]["schemas"]["LogEntry"]["properties"]["actor"]["nullable"] is True


@pytest.mark.django_db
def test_fuzz_regression_an_anonymous_hit_has_a_null_user_documented_nullable(bearer, schema, client, staff):
    assert client.get("/api/notes/").status_code == 401  # anonymous: logged without a user
    hits = bearer(staff).get("/api/hits/").json()
    assert hits[-1]["path"] == "/api/notes/" and hits[-1]["user"] is None
    assert schema["components"]["schemas"]["ApiHit"]["properties"]["user"]["nullable"] is True


class TestOpenAPIContract(OpenAPIContract):
    """The checks every API demo passes (demo_harness/openapi.py)."""

    operations = OPERATIONS
