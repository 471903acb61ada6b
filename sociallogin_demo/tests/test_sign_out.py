"""Signing out of the app: allauth's session and SimpleJWT's pair are two things, and the
pair is this site's to end (social/views.py, SignOutView)."""

import requests

from .clients import id_token_for, token_login


def signed_in(site, provider):
    meta = token_login(site, id_token_for(provider, "carol")).json()["meta"]
    return meta["session_token"], meta["access_token"], meta["refresh_token"]


def refresh(site, refresh_token):
    return requests.post(site + "/_allauth/app/v1/tokens/refresh", json={"refresh_token": refresh_token}, timeout=10)


def test_pitfall_7_signing_out_with_allauth_only_trap(site, provider):
    session_token, _, refresh_token = signed_in(site, provider)

    signed_out = requests.delete(
        site + "/_allauth/app/v1/auth/session", headers={"X-Session-Token": session_token}, timeout=10
    )

    assert signed_out.status_code == 401  # allauth: "not signed in any more"
    assert refresh(site, refresh_token).status_code == 200  # the harm: the pair lives on, for a day


def test_pitfall_7_signing_out_with_allauth_only_fix(site, provider):
    _, access_token, refresh_token = signed_in(site, provider)

    signed_out = requests.post(site + "/api/auth/logout/", json={"refresh": refresh_token}, timeout=10)

    assert signed_out.status_code == 200
    assert refresh(site, refresh_token).status_code == 400
    again = requests.post(site + "/api/auth/logout/", json={"refresh": refresh_token}, timeout=10)
    assert again.status_code == 401 and again.json()["code"] == "token_not_valid"
    # The access token is not looked up anywhere: it lives out its 5 minutes (jwt_demo
    # teaches ending it at once, with a revocation check on every request).
    me = requests.get(site + "/api/me/", headers={"Authorization": f"Bearer {access_token}"}, timeout=10)
    assert me.status_code == 200


def test_signing_out_with_a_token_that_is_not_one_is_a_401_not_a_500(site):
    for body in ({"refresh": "x.y.z"}, {"refresh": "a" * 2049}, {}):
        response = requests.post(site + "/api/auth/logout/", json=body, timeout=10)
        assert response.status_code in (400, 401), (body, response.status_code)
