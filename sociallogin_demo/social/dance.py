"""A scripted browser for the sign-in dance: what a browser does, one redirect at a time.

The tour prints each step; the tests assert on them. A real browser (the e2e suite's
Chromium) does the same with nothing scripted. Nothing here is used by the server.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlparse

import requests

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Hop:
    method: str
    url: str
    status: int
    location: str = ""


@dataclass
class Dance:
    """One sign-in: every request made, and where it ended."""

    hops: list = field(default_factory=list)
    final: requests.Response | None = None

    def query(self, index):
        """The query string of hop ``index``'s redirect target, as a dict."""
        return {key: values[0] for key, values in parse_qs(urlparse(self.hops[index].location).query).items()}


def csrf_token(html):
    match = CSRF_FIELD.search(html)
    if match is None:
        raise AssertionError("no CSRF field on the page")
    return match.group(1)


def follow(browser, dance, method, url, **kwargs):
    """One request, never following redirects by itself: each hop is recorded."""
    response = browser.request(method, url, allow_redirects=False, timeout=10, **kwargs)
    location = urljoin(url, response.headers.get("Location", ""))
    dance.hops.append(Hop(method, url, response.status_code, location if response.is_redirect else ""))
    return response


def follow_redirects(browser, dance, response, *, stop_at=None, limit=10):
    """Follow redirects; not into ``stop_at`` if given (a URL whose code we want to keep)."""
    for _ in range(limit):
        if not response.is_redirect or (stop_at and dance.hops[-1].location.startswith(stop_at)):
            return response
        response = follow(browser, dance, "GET", dance.hops[-1].location)
    raise AssertionError(f"more than {limit} redirects")


def sign_in(browser, site_url, *, provider_id, username, password, next_url=None, stop_at=None, process="login"):
    """Press "Sign in with <provider>" on the site, sign in at the provider, come back
    (or, with ``stop_at``, stop before the redirect to it: the attacker of pitfall 2).
    ``process="connect"``: link the provider account to the account signed in already.

    Returns the Dance; ``dance.final`` is the page the browser ended on."""
    dance = Dance()
    start = f"{site_url}/accounts/oidc/{provider_id}/login/"
    page = follow(browser, dance, "GET", start + (f"?next={next_url}" if next_url else ""))
    # allauth asks for a POST (a button) before leaving for the provider: a link or an
    # image on another site cannot start a sign-in in your name.
    data = {"csrfmiddlewaretoken": csrf_token(page.text), "process": process}  # "connect": link it
    if next_url:
        data["next"] = next_url
    response = follow(browser, dance, "POST", start, data=data, headers={"Referer": start})
    dance.final = at_provider(browser, dance, response, username=username, password=password, stop_at=stop_at)
    return dance


def at_provider(browser, dance, response, *, username, password, stop_at=None):
    """From the redirect to the provider: its login form if it shows one, then back."""
    response = follow_redirects(browser, dance, response, stop_at=stop_at)
    if not response.is_redirect and 'name="password"' in response.text:
        login_url = dance.hops[-1].url
        form = {
            "csrfmiddlewaretoken": csrf_token(response.text),
            "username": username,
            "password": password,
            "next": parse_qs(urlparse(login_url).query).get("next", [""])[0],
        }
        response = follow(browser, dance, "POST", login_url, data=form, headers={"Referer": login_url})
        response = follow_redirects(browser, dance, response, stop_at=stop_at)
    return response


def native_id_token(browser, provider_url, *, client_id, secret, redirect_uri, username, password):
    """What Google's Sign-In SDK does inside a mobile app: an authorization code with PKCE,
    exchanged for an ID token whose audience is the server's client ID (the SDK asks for
    the server's "web client ID"). The app then hands the ID token to allauth's headless API."""
    import base64
    import hashlib
    import secrets

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": "openid email profile",
        "state": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    dance = Dance()
    response = follow(browser, dance, "GET", f"{provider_url}/authorize/", params=params)
    at_provider(browser, dance, response, username=username, password=password, stop_at=redirect_uri)
    code = dance.query(len(dance.hops) - 1)["code"]
    tokens = browser.post(
        f"{provider_url}/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": secret,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    tokens.raise_for_status()
    return tokens.json()["id_token"]
