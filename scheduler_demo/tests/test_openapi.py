"""The OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/ (drf-spectacular).

The schema must generate without a single warning (a warning means drf-spectacular
guessed), validate against the OpenAPI 3 specification, and describe what the views
really answer, errors included. The docs page loads Swagger UI from our own /static/,
never from a CDN, in development and in production mode alike.
"""

import json
import re
import urllib.request

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

from demo_harness.server import serve_demo

ASSET = re.compile(r'(?:src|href)="([^"]+)"')

# Every operation and the status codes it documents: a view's error responses included.
OPERATIONS = {
    "/api/auth/signup/": {"POST": {"201", "400"}},
    "/api/auth/token/": {"POST": {"200", "400", "429"}},
    "/api/contacts/": {"GET": {"200", "401", "404"}},
    "/api/contacts/import/": {"PUT": {"202", "400", "401"}},
    "/api/contacts/imports/{id}/": {"GET": {"200", "401", "404"}},
    "/api/contacts/invite/": {"POST": {"200", "400", "401"}},
    "/api/contacts/phone-import-recorded/": {"GET": {"200", "401"}},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    """What `manage.py spectacular --validate --fail-on-warn` writes (it raises otherwise)."""
    target = tmp_path_factory.mktemp("openapi") / "openapi.json"
    GENERATOR_STATS.reset()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    return json.loads(target.read_text())


def test_schema_generates_without_warnings_and_validates(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == set(OPERATIONS)


def test_schema_documents_every_status_code_the_views_answer(schema):
    documented = {
        path: {method.upper(): set(operation["responses"]) for method, operation in methods.items()}
        for path, methods in schema["paths"].items()
    }
    assert documented == OPERATIONS


def test_schema_error_responses_have_drfs_shapes(schema):
    errors = schema["components"]["schemas"]["ErrorDetail"]
    assert errors["required"] == ["detail"]
    for methods in schema["paths"].values():
        for operation in methods.values():
            for status_code, response in operation["responses"].items():
                if status_code in ("401", "403", "404", "429"):
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/ErrorDetail"}, status_code
                if status_code == "400":
                    body = response["content"]["application/json"]["schema"]
                    assert body["type"] == "object" and "additionalProperties" in body


def body(schema, path, method, status_code):
    """The JSON body schema of one documented response, its $ref resolved."""
    response = schema["paths"][path][method]["responses"][status_code]
    if "content" not in response:
        return None
    ref = response["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_no_response_promises_a_password(schema):
    for name, component in schema["components"]["schemas"].items():
        if not name.endswith("Request"):
            assert not {"password", "old_password", "new_password"} & set(component.get("properties", {})), name


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


@pytest.mark.django_db
def test_schema_endpoint_serves_the_same_schema(client, schema):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert json.loads(response.content)["paths"].keys() == schema["paths"].keys()


@pytest.mark.django_db
def test_schema_endpoint_ignores_a_garbage_authorization_header(client):
    response = client.get("/api/schema/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 200


def local_assets(page):
    assets = ASSET.findall(page)
    assert assets, "the docs page references no assets"
    return assets


@pytest.mark.django_db
def test_docs_page_uses_only_local_static_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "://" not in page  # no absolute URL at all: no CDN, no third-party host
    assert 'url: "/api/schema/"' in page
    for asset in local_assets(page):
        assert asset.startswith("/" + settings.STATIC_URL.strip("/") + "/drf_spectacular_sidecar/"), asset
        assert finders.find(asset.split("/", 2)[2]), f"{asset} is not among the static files"


def get(url):
    # Production mode redirects plain HTTP to HTTPS unless the (imaginary) TLS proxy says so.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_production_mode_serves_the_schema_the_docs_and_their_assets(
    demo_dir, manage_py, production_environment, tmp_path
):
    """DEBUG off: WhiteNoise serves what `collectstatic` gathered into STATIC_ROOT."""
    static_root = tmp_path / "static"
    collected = manage_py(
        "collectstatic", "--no-input", env={**production_environment, "DJANGO_STATIC_ROOT": str(static_root)}
    )
    assert collected.returncode == 0, collected.stderr
    with serve_demo(demo_dir, production=True, env={"DJANGO_STATIC_ROOT": str(static_root)}) as served:
        status, content_type, body = get(served.url + "/api/schema/?format=json")
        assert (status, content_type.split(";")[0]) == (200, "application/vnd.oai.openapi+json")
        assert json.loads(body)["paths"].keys() == OPERATIONS.keys()
        status, _, page = get(served.url + "/api/docs/")
        assert status == 200
        for asset in local_assets(page.decode()):
            status, content_type, body = get(served.url + asset)
            assert status == 200 and body, asset
            assert content_type.split(";")[0] in ("text/javascript", "application/javascript", "text/css", "image/png")
