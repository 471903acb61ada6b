"""A mobile app: the provider's ID token in, allauth's headless API checks it, a SimpleJWT pair out."""

import requests
from django.contrib.auth import get_user_model

from .clients import id_token_for, token_login


def test_an_id_token_buys_a_simplejwt_pair_that_the_api_accepts(site, provider):
    response = token_login(site, id_token_for(provider, "carol"))

    assert response.status_code == 200, response.text
    meta = response.json()["meta"]
    assert meta["is_authenticated"] is True
    me = requests.get(site + "/api/me/", headers={"Authorization": f"Bearer {meta['access_token']}"}, timeout=10)
    assert me.status_code == 200
    assert me.json()["email"] == "carol@example.com" and me.json()["providers"] == ["localidp"]


def test_the_refresh_token_buys_a_new_access_token(site, provider):
    meta = token_login(site, id_token_for(provider, "carol")).json()["meta"]

    refreshed = requests.post(
        site + "/_allauth/app/v1/tokens/refresh", json={"refresh_token": meta["refresh_token"]}, timeout=10
    )

    assert refreshed.status_code == 200, refreshed.text
    access = refreshed.json()["data"]["access_token"]
    assert requests.get(site + "/api/me/", headers={"Authorization": f"Bearer {access}"}, timeout=10).ok


def test_a_forged_refresh_token_is_refused(site):
    refreshed = requests.post(site + "/_allauth/app/v1/tokens/refresh", json={"refresh_token": "x.y.z"}, timeout=10)
    assert refreshed.status_code == 400


def test_a_new_password_ends_the_pairs_issued_before_it(site, provider):
    meta = token_login(site, id_token_for(provider, "carol")).json()["meta"]
    carol = get_user_model().objects.get(email="carol@example.com")
    carol.set_password("carols-new-long-password")
    carol.save()

    me = requests.get(site + "/api/me/", headers={"Authorization": f"Bearer {meta['access_token']}"}, timeout=10)
    refreshed = requests.post(
        site + "/_allauth/app/v1/tokens/refresh", json={"refresh_token": meta["refresh_token"]}, timeout=10
    )

    assert me.status_code == 401 and refreshed.status_code == 400


def test_a_deleted_users_refresh_token_is_refused_not_a_500(site, provider):
    meta = token_login(site, id_token_for(provider, "carol")).json()["meta"]
    get_user_model().objects.filter(email="carol@example.com").delete()

    refreshed = requests.post(
        site + "/_allauth/app/v1/tokens/refresh", json={"refresh_token": meta["refresh_token"]}, timeout=10
    )

    assert refreshed.status_code == 400
