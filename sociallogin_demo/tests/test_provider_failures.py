"""The provider is a stateful dependency too: down, slow, or answering nonsense."""

import requests

from social.dance import csrf_token

from .clients import point_at, token_login


def start_sign_in(site):
    browser = requests.Session()
    page = browser.get(site + "/accounts/oidc/localidp/login/", timeout=10)
    return browser.post(
        site + "/accounts/oidc/localidp/login/",
        data={"csrfmiddlewaretoken": csrf_token(page.text)},
        headers={"Referer": site + "/accounts/oidc/localidp/login/"},
        allow_redirects=False,
        timeout=30,
    )


def test_a_provider_that_is_down_is_an_error_page_not_a_500(site, settings):
    point_at(settings, "http://127.0.0.1:9/o")  # the discard port: nothing listens there

    response = start_sign_in(site)

    assert response.status_code == 502
    assert "The identity provider did not answer" in response.text


def test_a_provider_answering_nonsense_is_an_error_page_not_a_500(site, settings, provider):
    point_at(settings, provider.url + "/accounts/login/?")  # an HTML page where JSON belongs

    response = start_sign_in(site)

    assert response.status_code == 502


def test_the_app_flow_with_the_provider_down_is_a_400_naming_the_token(site, settings):
    point_at(settings, "http://127.0.0.1:9/o")

    response = token_login(site, "a.b.c")

    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "token"
