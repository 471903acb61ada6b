"""The OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (drf-spectacular): this
site's own API. allauth's headless API publishes its own at /_allauth/openapi.json."""

import pytest

from demo_harness.openapi import OpenAPIContract
from demo_harness.openapi import response_body as body

OPERATIONS = {
    "/api/me/": {"GET": {"200", "401"}},
    "/api/auth/logout/": {"POST": {"200", "400", "401", "413", "415"}},
}


@pytest.fixture(scope="module")
def schema(openapi_schema):
    return openapi_schema


def test_schema_describes_who_the_jwt_belongs_to(schema):
    me = body(schema, "/api/me/", "get", "200")
    assert me["properties"].keys() == {"id", "email", "providers"}
    assert schema["components"]["securitySchemes"]["jwtAuth"]["scheme"] == "bearer"


# The writes a browser sends here are allauth's forms, not API operations.
SIGN_IN_FORMS = ["/accounts/login/", "/accounts/signup/", "/accounts/oidc/localidp/login/", "/accounts/3rdparty/"]


class TestOpenAPIContract(OpenAPIContract):
    """The checks every API demo passes (demo_harness/openapi.py)."""

    operations = OPERATIONS

    def test_a_write_without_its_trailing_slash_is_a_4xx_naming_the_right_url(self, db, settings, openapi_schema):
        """The API has no write of its own: the same check, on the sign-in pages' forms."""
        forms = {"paths": {path: {"post": {}} for path in SIGN_IN_FORMS}}
        super().test_a_write_without_its_trailing_slash_is_a_4xx_naming_the_right_url(db, settings, forms)
