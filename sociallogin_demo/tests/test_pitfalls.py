"""Each pitfall of social/pitfalls.py: the harm its trap does, and the fix that prevents it."""

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from social import pitfalls
from social.dance import Dance, at_provider, follow
from social.servers import CALLBACK, NATIVE_REDIRECT, OTHER_APP

from .clients import PROVIDER_PASSWORD, browser_sign_in, id_token_for, token_login

OTHER_CLIENT_ID, OTHER_CLIENT_SECRET = OTHER_APP

User = get_user_model()


@pytest.fixture
def bob(db):
    """A local account whose owner verified bob@example.com (the provider's mallory claims it)."""
    user = User.objects.create_user("bob", "bob@example.com", "bobs-own-long-password")
    EmailAddress.objects.create(user=user, email="bob@example.com", verified=True, primary=True)
    return user


# --- pitfall 1: an unverified provider email -------------------------------------------


def test_pitfall_1_unverified_provider_email_trap(site, bob, settings):
    settings.SOCIALACCOUNT_ADAPTER = "social.pitfalls.TrustingEmailAdapter"

    dance, _ = browser_sign_in(site, "mallory")  # bob@example.com at the provider, never verified

    assert "Signed in as bob@example.com" in dance.final.text  # the harm: mallory is bob now
    assert SocialAccount.objects.get(extra_data__id_token__preferred_username="mallory").user == bob


def test_pitfall_1_unverified_provider_email_fix(site, bob, mailoutbox):
    dance, browser = browser_sign_in(site, "mallory")

    # allauth answers as it would for a new address ("we sent you a link"): mallory cannot
    # even learn that bob has an account. The mail goes to bob, who owns the address.
    assert "Verify Your Email Address" in dance.final.text
    assert [message.to for message in mailoutbox] == [["bob@example.com"]]
    assert list(User.objects.all()) == [bob] and not SocialAccount.objects.exists()
    assert User.objects.get(pk=bob.pk).check_password("bobs-own-long-password")
    profile = browser.get(site + "/profile/", allow_redirects=False, timeout=10)
    assert profile.status_code == 302  # mallory is signed in as nobody


def test_pitfall_1_a_verified_address_signs_into_and_links_the_existing_account(site, db):
    alice = User.objects.create_user("alice-local", "alice@example.com", "alices-own-long-password")
    EmailAddress.objects.create(user=alice, email="alice@example.com", verified=True, primary=True)

    dance, _ = browser_sign_in(site, "alice")  # verified at the provider

    assert "Signed in as alice@example.com" in dance.final.text
    assert SocialAccount.objects.get(provider="localidp").user == alice
    assert User.objects.get(pk=alice.pk).check_password("alices-own-long-password")  # kept: verified


def test_pitfall_1_an_unverified_local_account_loses_the_password_someone_else_set(site, db):
    # Someone signed up locally with alice's address (never verified), and knows the password.
    squatter = User.objects.create_user("squatter", "alice@example.com", "the-squatters-password")
    EmailAddress.objects.create(user=squatter, email="alice@example.com", verified=False, primary=True)

    dance, _ = browser_sign_in(site, "alice")

    assert "Signed in as alice@example.com" in dance.final.text
    assert not User.objects.get(pk=squatter.pk).has_usable_password()  # the squatter is locked out


# --- pitfall 2: no `state` ---------------------------------------------------------------


def attackers_link(provider, settings):
    """The attacker starts the trap's sign-in, signs in as themself, keeps the callback URL."""
    authorize_url = pitfalls.start_sign_in_without_session(
        authorize_url=provider.url + "/o/authorize/", client_id=settings.OIDC_CLIENT_ID, redirect_uri=NATIVE_REDIRECT
    )
    attacker, dance = requests.Session(), Dance()
    response = follow(attacker, dance, "GET", authorize_url)
    at_provider(attacker, dance, response, username="mallory", password=PROVIDER_PASSWORD, stop_at=NATIVE_REDIRECT)
    return dance.hops[-1].location


def test_pitfall_2_callback_not_tied_to_the_browser_trap(provider, settings, db):
    link = attackers_link(provider, settings)
    victims_request = RequestFactory().get(link)
    SessionMiddleware(lambda r: None).process_request(victims_request)  # the victim's own, fresh session

    user = pitfalls.callback_without_session_check(
        victims_request,
        token_url=provider.url + "/o/token/",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        redirect_uri=NATIVE_REDIRECT,
    )

    # The victim's session now belongs to mallory's account (the address mallory typed in).
    assert victims_request.session[SESSION_KEY] == str(user.pk) and user.email == "bob@example.com"


def attackers_callback(site):
    """The attacker signs in on the real site with their own account, keeps the callback URL."""
    dance, _ = browser_sign_in(site, "mallory", stop_at=site + CALLBACK)
    return dance.hops[-1].location


def test_pitfall_2_callback_not_tied_to_the_browser_fix(site):
    link = attackers_callback(site)
    victim = requests.Session()

    response = victim.get(link, timeout=10)

    assert response.status_code == 400 or "Third-Party Login Failure" in response.text
    assert not SocialAccount.objects.exists()
    profile = victim.get(site + "/profile/", allow_redirects=False, timeout=10)
    assert profile.status_code == 302 and "/accounts/login/" in profile.headers["Location"]


# --- pitfall 3: `next` -----------------------------------------------------------------------

EVIL = "https://evil.example/login"


def test_pitfall_3_open_redirect_in_next_trap(rf):
    response = pitfalls.redirect_to_next(rf.get("/after-login/", {"next": EVIL}))
    assert response.status_code == 302 and response["Location"] == EVIL


def test_pitfall_3_an_adapter_that_calls_every_next_safe_trap(site, settings):
    settings.ACCOUNT_ADAPTER = "social.pitfalls.AnyNextAccountAdapter"

    dance, _ = browser_sign_in(site, "carol", next_url=EVIL, stop_at=EVIL)

    assert dance.hops[-1].location == EVIL  # the harm: a real sign-in, then the look-alike site


def test_pitfall_3_open_redirect_in_next_fix(site):
    dance, _ = browser_sign_in(site, "carol", next_url=EVIL)

    assert all("evil.example" not in hop.location for hop in dance.hops)
    assert dance.hops[-1].url == site + "/profile/"


def test_pitfall_3_a_next_on_this_site_is_followed(site):
    dance, _ = browser_sign_in(site, "carol", next_url="/accounts/3rdparty/")
    assert dance.hops[-1].url == site + "/accounts/3rdparty/"


# --- pitfall 4: `aud` -----------------------------------------------------------------------


def test_pitfall_4_id_token_for_another_client_trap(provider):
    token = id_token_for(provider, "carol", client_id=OTHER_CLIENT_ID, secret=OTHER_CLIENT_SECRET)

    claims = pitfalls.claims_without_audience_check(
        token, jwks_url=provider.url + "/o/.well-known/jwks.json", issuer=provider.url + "/o"
    )

    assert claims["aud"] == OTHER_CLIENT_ID and claims["email"] == "carol@example.com"  # carol, to us


def test_pitfall_4_id_token_for_another_client_fix(site, provider):
    token = id_token_for(provider, "carol", client_id=OTHER_CLIENT_ID, secret=OTHER_CLIENT_SECRET)

    response = token_login(site, token)

    assert response.status_code == 400
    assert not User.objects.filter(email="carol@example.com").exists()


def test_pitfall_4_claiming_the_other_client_id_is_refused_too(site, provider):
    token = id_token_for(provider, "carol", client_id=OTHER_CLIENT_ID, secret=OTHER_CLIENT_SECRET)
    assert token_login(site, token, client_id=OTHER_CLIENT_ID).status_code == 400


# --- pitfall 5: provider tokens in plaintext ------------------------------------------------


def test_pitfall_5_provider_tokens_in_plaintext_trap(site, provider, settings):
    settings.SOCIALACCOUNT_STORE_TOKENS = True

    browser_sign_in(site, "carol")

    stolen = SocialToken.objects.get().token  # what a leaked backup holds, in plaintext
    userinfo = requests.get(provider.url + "/o/userinfo/", headers={"Authorization": f"Bearer {stolen}"}, timeout=10)
    assert userinfo.status_code == 200 and userinfo.json()["email"] == "carol@example.com"


def test_pitfall_5_provider_tokens_in_plaintext_fix(site):
    browser_sign_in(site, "carol")
    assert SocialAccount.objects.count() == 1 and not SocialToken.objects.exists()
