"""The admin never shows a whole token key: a key is a live credential."""

from django.contrib.admin.models import LogEntry
from rest_framework.authtoken.models import Token

TOKENS = "/admin/tokens/maskedtoken/"


def staff_client(api_client, user_factory):
    api_client.force_login(user_factory(username="root", is_staff=True, is_superuser=True))
    return api_client


def test_the_token_list_shows_a_hint_of_each_key_never_the_key(api_client, user_factory, user, key):
    client = staff_client(api_client, user_factory)

    page = client.get(TOKENS).content.decode()

    assert "alice" in page
    assert key[:6] in page
    assert key not in page


def test_a_token_page_and_its_delete_page_do_not_show_the_key(api_client, user_factory, user, key):
    client = staff_client(api_client, user_factory)

    for url in (f"{TOKENS}{user.pk}/change/", f"{TOKENS}{user.pk}/delete/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert key not in response.content.decode(), url


def test_deleting_a_token_in_the_admin_keeps_the_key_out_of_recent_actions(api_client, user_factory, user, key):
    client = staff_client(api_client, user_factory)

    response = client.post(f"{TOKENS}{user.pk}/delete/", {"post": "yes"}, format="multipart")

    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()
    assert LogEntry.objects.filter(object_repr="token of alice").exists()
    assert not LogEntry.objects.filter(object_repr__contains=key).exists()
    assert key not in client.get("/admin/").content.decode()


def test_drf_s_own_token_admin_is_not_registered(api_client, user_factory, user, key):
    client = staff_client(api_client, user_factory)

    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
