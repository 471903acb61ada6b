"""What every API demo's OpenAPI schema (drf-spectacular) and Swagger UI must satisfy.

Each demo's tests/test_openapi.py states its operations and the status codes each one
documents, plus what is particular to it; the checks common to all live here:

- the schema generates without a warning (a warning means drf-spectacular guessed) and
  validates against the OpenAPI 3 specification (fixture ``openapi_schema``);
- error responses have DRF's shapes; no response promises a password;
- /api/schema/ serves it (a garbage Authorization header is ignored), /api/docs/ loads
  Swagger UI from our own /static/, never a CDN, in development and production mode;
- every input is bounded: each list in a request body has ``maxItems``, each string a
  ``maxLength`` (files, choices, dates and numbers are bounded by their format);
- every operation that checks a password or names an account (and so can tell whether
  it exists) is throttled, and documents its 429;
- a POST, PUT, PATCH or DELETE to a URL without its trailing slash is a 4xx, never the
  500 page that Django's APPEND_SLASH raises under DEBUG.
"""

import json
import re
import urllib.request

from .server import serve_demo

ASSET = re.compile(r'(?:src|href)="([^"]+)"')
SECRET_FIELDS = {"password", "old_password", "new_password"}
# Request fields that make an operation a password oracle or an account-existence oracle.
PASSWORD_FIELDS = {"password", "old_password", "new_password", "current_password"}
ACCOUNT_FIELDS = {"username", "email", "phone"}
# Strings of these formats, or with a fixed set of choices, are bounded by what they are.
SELF_BOUNDED_FORMATS = {"binary", "date", "date-time", "time", "duration", "uuid", "decimal"}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


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


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def request_properties(schema, operation):
    """{name: property schema} of every field an operation's request body takes (every
    content type, nested objects and lists of objects included, $refs resolved)."""
    found = {}
    pending = [body["schema"] for body in operation.get("requestBody", {}).get("content", {}).values()]
    seen = set()
    while pending:
        node = _resolve(schema, pending.pop())
        if id(node) in seen:
            continue
        seen.add(id(node))
        pending.extend(node.get("allOf", []) + node.get("oneOf", []) + node.get("anyOf", []))
        if "items" in node:
            pending.append(node["items"])
        for name, prop in node.get("properties", {}).items():
            found[name] = prop
            pending.append(prop)
    return found


def unbounded_inputs(schema):
    """["METHOD path field: why"] for each request field without a size limit."""
    problems = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for name, prop in request_properties(schema, operation).items():
                problems.extend(f"{method.upper()} {path} {name}: {why}" for why in _unbounded(schema, prop))
    return problems


def _unbounded(schema, prop):
    """Why one property is unbounded ([] when it is bounded). A property that may take one
    of several shapes (``oneOf``/``anyOf``: an optional email is ``{maxLength: 254}`` or
    ``{maxLength: 0}``) is bounded when every shape is."""
    prop = _resolve(schema, prop)
    if prop.get("readOnly"):
        return []
    alternatives = prop.get("oneOf", []) + prop.get("anyOf", [])
    if alternatives:
        return [why for alternative in alternatives for why in _unbounded(schema, alternative)]
    kinds = prop.get("type", "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    problems = []
    if "array" in kinds and "maxItems" not in prop:
        problems.append("a list without maxItems")
    bounded_string = "maxLength" in prop or "enum" in prop or prop.get("format") in SELF_BOUNDED_FORMATS
    if "string" in kinds and not bounded_string:
        problems.append("a string without maxLength")
    return problems


def api_views():
    """(path, METHOD, view instance) for every operation, as drf-spectacular sees them."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import spectacular_settings

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, _regex, method, view in generator._get_paths_and_endpoints():
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        yield path, method, view


def throttle_problem(view):
    """Why ``view`` is not throttled, or None when it is (a rate is configured)."""
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

    throttles = view.get_throttles()  # a SimpleRateThrottle without a rate raises here
    if not throttles:
        return "no throttle"
    for throttle in throttles:
        if isinstance(throttle, ScopedRateThrottle):
            scope = getattr(view, throttle.scope_attr, None)
            if not api_settings.DEFAULT_THROTTLE_RATES.get(scope):
                return f"ScopedRateThrottle with scope {scope!r}, which has no rate"
        elif isinstance(throttle, SimpleRateThrottle) and not throttle.rate:
            return f"{type(throttle).__name__} has no rate"
    return None


def unthrottled_oracles(schema, exempt=()):
    """["METHOD path: why"] for each operation that takes a password or an account
    identifier and is not throttled (or does not document its 429)."""
    problems = []
    for path, method, view in api_views():
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None or (path, method) in exempt:  # not in the schema (/api/docs/ itself)
            continue
        fields = set(request_properties(schema, operation))
        if not fields & (PASSWORD_FIELDS | ACCOUNT_FIELDS):
            continue
        why = throttle_problem(view)
        if why is None and "429" not in operation["responses"]:
            why = "its 429 is not documented"
        if why:
            problems.append(f"{method} {path} takes {sorted(fields & (PASSWORD_FIELDS | ACCOUNT_FIELDS))}: {why}")
    return problems


def example_url(path):
    """A concrete URL for an OpenAPI path template: every {parameter} becomes 1."""
    return re.sub(r"\{[^}]+\}", "1", path)


def slashless_write_answers(client, schema):
    """{"METHOD url": status} for every write operation requested without its slash."""
    answers = {}
    for path, methods in schema["paths"].items():
        if not path.endswith("/"):
            continue
        url = example_url(path).rstrip("/")
        for method in methods:
            if method.upper() in WRITE_METHODS:
                response = client.generic(method.upper(), url, b"{}", content_type="application/json")
                answers[f"{method.upper()} {url}"] = response
    return answers


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
    # {(path, METHOD): "why"}: operations that take an account field but need no throttle.
    unthrottled = {}

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

    def test_every_list_and_string_input_is_bounded(self, openapi_schema):
        problems = unbounded_inputs(openapi_schema)
        assert not problems, "unbounded inputs:\n" + "\n".join(problems)

    def test_every_operation_that_checks_a_password_or_names_an_account_is_throttled(self, openapi_schema):
        assert all(why for why in self.unthrottled.values()), "say why each exemption is safe"
        problems = unthrottled_oracles(openapi_schema, exempt=self.unthrottled)
        assert not problems, "password or account-existence oracles without a throttle:\n" + "\n".join(problems)

    def test_a_write_without_its_trailing_slash_is_a_4xx_naming_the_right_url(self, db, settings, openapi_schema):
        """Under DEBUG (how a learner runs it) Django's APPEND_SLASH raises RuntimeError:
        a 500 page. The demos' TrailingSlashMiddleware answers 404 naming the URL."""
        from django.test import Client
        from django.urls import is_valid_path

        settings.DEBUG = True
        answers = slashless_write_answers(Client(raise_request_exception=False), openapi_schema)
        assert answers, "no write operation found"
        for request, response in answers.items():
            assert 400 <= response.status_code < 500, f"{request} answered {response.status_code}"
            url = request.split()[1]
            if not is_valid_path(url):  # some demos route both forms; the others must say where
                assert response.status_code == 404, f"{request} answered {response.status_code}"
                assert url + "/" in response.json()["detail"], f"{request}: the answer does not name {url}/"
