"""The browser's sign-in, against a real OpenID Connect provider, redirect by redirect."""

import requests
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model

from social.dance import sign_in

from .clients import PROVIDER_PASSWORD


def test_signing_up_with_the_provider_lands_on_the_profile_page(site, provider):
    dance = sign_in(requests.Session(), site, provider_id="localidp", username="alice", password=PROVIDER_PASSWORD)

    assert dance.final.status_code == 200
    assert "Signed in as alice@example.com" in dance.final.text
    authorize = dance.query(1)  # the POST's redirect: to the provider's authorization endpoint
    assert dance.hops[1].location.startswith(provider.url + "/o/authorize/")
    assert authorize["response_type"] == "code" and authorize["code_challenge_method"] == "S256"
    assert len(authorize["state"]) >= 16 and len(authorize["code_challenge"]) == 43
    user = get_user_model().objects.get(email="alice@example.com")
    assert SocialAccount.objects.get(user=user).provider == "localidp"
    assert not SocialToken.objects.exists()  # the provider's tokens are not kept (pitfall 5)
