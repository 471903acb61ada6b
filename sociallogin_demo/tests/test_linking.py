"""Linking a provider account to a local one, unlinking it, and a grant revoked at the provider."""

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from social.dance import csrf_token, sign_in

from .clients import PROVIDER_PASSWORD, browser_sign_in, id_token_for, token_login

User = get_user_model()
DAVE_PASSWORD = "daves-own-long-password"


@pytest.fixture
def dave(db):
    """A local account (email and password) whose address the provider does not know."""
    user = User.objects.create_user("dave", "dave@example.org", DAVE_PASSWORD)
    EmailAddress.objects.create(user=user, email="dave@example.org", verified=True, primary=True)
    return user


def signed_in_locally(site, email, password):
    browser = requests.Session()
    page = browser.get(site + "/accounts/login/", timeout=10)
    response = browser.post(
        site + "/accounts/login/",
        data={"csrfmiddlewaretoken": csrf_token(page.text), "login": email, "password": password},
        headers={"Referer": site + "/accounts/login/"},
        timeout=10,
    )
    assert response.url == site + "/profile/", response.url
    return browser


def unlink(browser, site, account):
    page = browser.get(site + "/accounts/3rdparty/", timeout=10)
    return browser.post(
        site + "/accounts/3rdparty/",
        data={"csrfmiddlewaretoken": csrf_token(page.text), "account": account.pk},
        headers={"Referer": site + "/accounts/3rdparty/"},
        timeout=10,
    )


def test_a_signed_in_user_links_a_provider_account_with_another_address(site, dave):
    browser = signed_in_locally(site, "dave@example.org", DAVE_PASSWORD)

    dance = sign_in(
        browser, site, provider_id="localidp", username="carol", password=PROVIDER_PASSWORD, process="connect"
    )

    assert dance.hops[-1].url == site + "/accounts/3rdparty/"
    assert SocialAccount.objects.get().user == dave  # carol's provider account, linked to dave
    again, _ = browser_sign_in(site, "carol")  # a new browser, signing in with the provider
    assert "Signed in as dave@example.org" in again.final.text


def test_unlinking_leaves_the_local_account_and_its_password(site, dave):
    browser = signed_in_locally(site, "dave@example.org", DAVE_PASSWORD)
    sign_in(browser, site, provider_id="localidp", username="carol", password=PROVIDER_PASSWORD, process="connect")

    unlink(browser, site, SocialAccount.objects.get())

    assert not SocialAccount.objects.exists()
    assert User.objects.get(pk=dave.pk).check_password(DAVE_PASSWORD)


def test_the_only_way_into_an_account_cannot_be_unlinked(site):
    _, browser = browser_sign_in(site, "carol")  # signed up with the provider: no password here

    unlink(browser, site, SocialAccount.objects.get())

    assert SocialAccount.objects.count() == 1  # still linked: otherwise carol could never sign in again
    again, _ = browser_sign_in(site, "carol")
    assert "Signed in as carol@example.com" in again.final.text


def test_a_grant_revoked_at_the_provider_ends_nothing_here_until_the_jwt_expires(site, provider):
    meta = token_login(site, id_token_for(provider, "carol")).json()["meta"]
    revoked = provider.manage(
        "shell", "-c", "from oauth2_provider.models import AccessToken; AccessToken.objects.all().delete()"
    )
    assert revoked.returncode == 0, revoked.stderr

    me = requests.get(site + "/api/me/", headers={"Authorization": f"Bearer {meta['access_token']}"}, timeout=10)

    # The provider's tokens are not ours: our JWT lives its 5 minutes (ACCESS_TOKEN_LIFETIME).
    # Ending it now is this site's job: sign out here, or block the user.
    assert me.status_code == 200
    assert token_login(site, id_token_for(provider, "carol")).status_code == 200  # signing in again works
