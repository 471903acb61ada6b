"""What a test does as a browser or a mobile app: sign in at the provider, trade an ID
token for a JWT pair. The provider's users all share one password, the development
default that `manage.py localprovider` gives them too."""

import requests
from django.conf import settings

from social.dance import native_id_token, sign_in
from social.servers import DEVELOPMENT_PROVIDER_PASSWORD, NATIVE_REDIRECT

PROVIDER_PASSWORD = DEVELOPMENT_PROVIDER_PASSWORD


def point_at(settings, provider_url):
    """Point allauth's local OpenID Connect app at ``provider_url`` (for one test)."""
    openid_connect = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]
    app = openid_connect["APPS"][0]
    app = {**app, "settings": {**app["settings"], "server_url": provider_url}}
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {**openid_connect, "APPS": [app]},
    }


def id_token_for(provider, username, *, client_id=None, secret=None):
    """An ID token as a mobile app's provider SDK gets one (social.dance.native_id_token)."""
    return native_id_token(
        requests.Session(),
        provider.url + "/o",
        client_id=client_id or settings.OIDC_CLIENT_ID,
        secret=secret or settings.OIDC_CLIENT_SECRET,
        redirect_uri=NATIVE_REDIRECT,
        username=username,
        password=PROVIDER_PASSWORD,
    )


def token_login(site, id_token, client_id=None):
    """allauth's headless sign-in with a provider's ID token."""
    body = {
        "provider": "localidp",
        "process": "login",
        "token": {"client_id": client_id or settings.OIDC_CLIENT_ID, "id_token": id_token},
    }
    return requests.post(site + "/_allauth/app/v1/auth/provider/token", json=body, timeout=10)


def browser_sign_in(site, username, **options):
    """A new browser signs in with the provider: the Dance, and the browser (its cookies)."""
    browser = requests.Session()
    return sign_in(
        browser, site, provider_id="localidp", username=username, password=PROVIDER_PASSWORD, **options
    ), browser
