"""What every API demo's OpenAPI schema (drf-spectacular) and Swagger UI must satisfy.

Each demo's tests/test_openapi.py states its operations and the status codes each one
documents, plus what is particular to it; the checks common to all live here:

- the schema generates without a warning (a warning means drf-spectacular guessed) and
  validates against the OpenAPI 3 specification (fixture ``openapi_schema``);
- error responses have DRF's shapes; no response promises a password;
- /api/schema/ serves it (a garbage Authorization header is ignored), /api/docs/ loads
  Swagger UI from our own /static/, never a CDN, in development and production mode.
"""

import json
import re
import urllib.request

from .server import serve_demo

ASSET = re.compile(r'(?:src|href)="([^"]+)"')
SECRET_FIELDS = {"password", "old_password", "new_password"}


def generate_schema(target):
    """What `manage.py spectacular --validate --fail-on-warn` writes (it raises otherwise)."""
    from django.core.management import call_command
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    return json.loads(target.read_text())


def documented_statuses(schema):
    """{path: {METHOD: {status codes}}} as the schema documents them."""
    return {
        path: {method.upper(): set(operation["responses"]) for method, operation in methods.items()}
        for path, methods in schema["paths"].items()
    }


def response_body(schema, path, method, status_code):
    """The JSON body schema of one documented response, its $ref resolved (None: no body)."""
    response = schema["paths"][path][method]["responses"][status_code]
    if "content" not in response:
        return None
    ref = response["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def assert_error_shapes(schema):
    """401/403/404/429 are ``{"detail": ...}``; 400 is an object of per-field messages."""
    assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]
    for methods in schema["paths"].values():
        for operation in methods.values():
            for status_code, response in operation["responses"].items():
                if status_code in ("401", "403", "404", "429"):
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/ErrorDetail"}, status_code
                if status_code == "400":
                    body = response["content"]["application/json"]["schema"]
                    assert body["type"] == "object" and "additionalProperties" in body


def assert_no_response_promises_a_password(schema):
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("Request"):  # request bodies may (must) take one
            assert not SECRET_FIELDS & set(component.get("properties", {})), name


def local_assets(page):
    assets = ASSET.findall(page)
    assert assets, "the docs page references no assets"
    return assets


def assert_served_in_development(client, schema):
    """/api/schema/ serves the schema (whatever the Authorization header), /api/docs/ loads
    Swagger UI from local static files only. ``client``: Django's test client."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    response = client.get("/api/schema/", {"format": "json"}, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200
    assert json.loads(response.content)["paths"].keys() == schema["paths"].keys()
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "://" not in page  # no absolute URL at all: no CDN, no third-party host
    assert 'url: "/api/schema/"' in page
    for asset in local_assets(page):
        assert asset.startswith("/" + settings.STATIC_URL.strip("/") + "/drf_spectacular_sidecar/"), asset
        assert finders.find(asset.split("/", 2)[2]), f"{asset} is not among the static files"


def _get(url):
    # Production mode redirects plain HTTP to HTTPS unless the (imaginary) TLS proxy says so.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def assert_served_in_production(demo_dir, manage_py, production_environment, static_root, paths):
    """DEBUG off: WhiteNoise serves what `collectstatic` gathered into STATIC_ROOT."""
    env = {**production_environment, "DJANGO_STATIC_ROOT": str(static_root)}
    collected = manage_py("collectstatic", "--no-input", env=env)
    assert collected.returncode == 0, collected.stderr
    with serve_demo(demo_dir, production=True, env={"DJANGO_STATIC_ROOT": str(static_root)}) as served:
        status, content_type, body = _get(served.url + "/api/schema/?format=json")
        assert (status, content_type.split(";")[0]) == (200, "application/vnd.oai.openapi+json")
        assert json.loads(body)["paths"].keys() == set(paths)
        status, _, page = _get(served.url + "/api/docs/")
        assert status == 200
        for asset in local_assets(page.decode()):
            status, content_type, body = _get(served.url + asset)
            assert status == 200 and body, asset
            assert content_type.split(";")[0] in ("text/javascript", "application/javascript", "text/css", "image/png")


class OpenAPIContract:
    """The checks every API demo passes, as a pytest class to subclass:

    class TestOpenAPIContract(OpenAPIContract):
        operations = OPERATIONS  # {path: {METHOD: {status codes}}}
    """

    operations = {}

    def test_schema_generates_without_warnings_and_documents_every_status_code(self, openapi_schema):
        assert documented_statuses(openapi_schema) == self.operations

    def test_error_responses_have_drfs_shapes_and_no_response_promises_a_password(self, openapi_schema):
        assert_error_shapes(openapi_schema)
        assert_no_response_promises_a_password(openapi_schema)

    def test_schema_and_docs_page_are_served_with_local_assets_only(self, client, db, openapi_schema):
        assert_served_in_development(client, openapi_schema)

    def test_production_mode_serves_the_schema_the_docs_and_their_assets(
        self, demo_dir, manage_py, production_environment, tmp_path
    ):
        assert_served_in_production(demo_dir, manage_py, production_environment, tmp_path / "static", self.operations)
