"""sociallogin_demo from outside: its provider served beside it, a browser's sign-in and a
mobile app's ID token, over real HTTP (the suite never imports the demo's own code).

The site signs people in through an OpenID Connect provider, so serving it means serving
two processes: the local provider (``sociallogin_demo/provider``, its own settings module
``idp.settings``) and the site pointed at it (``OIDC_PROVIDER_URL``), then the site
registered as the provider's client (``manage.py register_client``, which also creates
the provider's users alice, mallory and carol). ``support.serve`` calls ``serve_social``
for this demo, so every fixture of the suite serves it the same way.
"""

import base64
import hashlib
import re
import secrets
from contextlib import contextmanager
from urllib.parse import parse_qs, urljoin, urlparse

import requests

from demo_harness.provider import NATIVE_REDIRECT, serve_with_provider

NAME = "sociallogin_demo"
PROVIDER_ID = "localidp"  # the provider_id in the demo's SOCIALACCOUNT_PROVIDERS
TOKEN_LOGIN = "/_allauth/app/v1/auth/provider/token"
REFRESH_PATH = "/_allauth/app/v1/tokens/refresh"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 30


@contextmanager
def serve_social(demo_dir, provider_password, *, env=None, **kwargs):
    """``demo_harness.provider.serve_with_provider``; the ServedDemo it yields carries
    ``client_id`` and ``client_secret`` (the site's at the provider), ``provider`` (the
    provider's ServedDemo) and ``provider_password`` (every provider user's password)."""
    with serve_with_provider(demo_dir, provider_password=provider_password, env=env, **kwargs) as (served, provider):
        served.provider, served.provider_password = provider, provider_password
        yield served


def add_provider_user(served, username, *, verified=True):
    """Another account at the provider (username@example.com, its address verified or
    not), with the provider's shared password: the three that register_client creates
    are too few for a suite that deletes and deactivates users."""
    code = (
        "from django.contrib.auth.models import Group, User\n"
        f"user = User.objects.create_user({username!r}, email={username + '@example.com'!r},"
        f" password={served.provider_password!r})\n"
        f"if {verified!r}: user.groups.add(Group.objects.get(name='email-verified'))\n"
    )
    done = served.provider.manage("shell", "-c", code)
    if done.returncode:
        raise RuntimeError(f"creating provider user {username} failed:\n{done.stderr}")


def csrf_token(html):
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def at_provider(session, url, username, password, *, until):
    """Follow the provider's redirects from ``url``, signing in at its login form, until a
    redirect leaves for ``until`` (a URL prefix, or a ``host:port`` whatever the scheme);
    returns that URL."""
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=TIMEOUT)
        if response.status_code == 200 and 'name="password"' in response.text:
            form = {
                "csrfmiddlewaretoken": csrf_token(response.text),
                "username": username,
                "password": password,
                "next": parse_qs(urlparse(url).query).get("next", [""])[0],
            }
            response = session.post(url, data=form, headers={"Referer": url}, allow_redirects=False, timeout=TIMEOUT)
        assert response.is_redirect, (url, response.status_code, response.text[:300])
        url = urljoin(url, response.headers["Location"])
        if url.startswith(until) or urlparse(url).netloc == until:
            return url
    raise AssertionError("more than 10 redirects at the provider")


def browser_sign_in(client, served, username, *, callback_issues=()):
    """What a browser does on "Sign in with Local identity provider": the site's
    confirmation form (a POST: a link on another site cannot start a sign-in), the
    provider's login form, back to the callback, then /profile/. ``client`` is a
    ``support.Client`` on the site (its responses are recorded); the provider's answers
    go through the same cookie jar, as a browser's do. Returns the /profile/ response."""
    from .support import same_origin

    start = f"/accounts/oidc/{PROVIDER_ID}/login/"
    page = client.get(start)
    assert page.status_code == 200, page.text[:300]
    data = {"csrfmiddlewaretoken": csrf_token(page.text), "process": "login"}
    # The suite's "X-Forwarded-Proto: https" makes the site see HTTPS (gunicorn trusts it
    # from 127.0.0.1), so the form is checked as an HTTPS origin's and the callback the
    # provider returns to is https://: the imaginary TLS proxy passes it on as plain HTTP.
    leave = client.post(start, data=data, headers=same_origin(client.base_url))
    assert leave.status_code == 302, (leave.status_code, leave.text[:300])
    authorize = leave.headers["Location"]
    assert authorize.startswith(served.provider.url + "/o/authorize/"), authorize
    site = urlparse(client.base_url).netloc
    callback = urlparse(at_provider(client.session, authorize, username, served.provider_password, until=site))
    back = client.get(f"{callback.path}?{callback.query}", issues=callback_issues)
    assert back.status_code == 302 and back.headers["Location"] == "/profile/", (back.status_code, back.text[:300])
    return client.get("/profile/")


def native_id_token(served, username):
    """What a provider's SDK does inside a mobile app: an authorization code with PKCE,
    exchanged for an ID token whose audience is the site's client ID."""
    session = requests.Session()
    provider_url = served.provider.url + "/o"
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "client_id": served.client_id,
        "redirect_uri": NATIVE_REDIRECT,
        "response_type": "code",
        "scope": "openid email profile",
        "state": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    authorize = requests.Request("GET", f"{provider_url}/authorize/", params=params).prepare().url
    redirect = at_provider(session, authorize, username, served.provider_password, until=NATIVE_REDIRECT)
    code = parse_qs(urlparse(redirect).query)["code"][0]
    body = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": NATIVE_REDIRECT,
        "client_id": served.client_id,
        "client_secret": served.client_secret,
        "code_verifier": verifier,
    }
    tokens = session.post(f"{provider_url}/token/", data=body, timeout=TIMEOUT)
    tokens.raise_for_status()
    return tokens.json()["id_token"]


def token_login_body(served, id_token):
    """allauth's headless sign-in with a provider's ID token."""
    return {"provider": PROVIDER_ID, "process": "login", "token": {"client_id": served.client_id, "id_token": id_token}}
