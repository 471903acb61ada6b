import pytest

from demo_harness.plugin import DEFAULT_PASSWORD  # for test data built at import time

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(user_factory):
    return user_factory(username="alice", email="alice@example.com", phone="+14155552671")


@pytest.mark.parametrize(
    "identifier",
    [
        {"username": "alice"},
        {"email": "alice@example.com"},
        {"email": "ALICE@Example.com"},  # emails are stored and looked up lower-cased
        {"phone": "+14155552671"},
        {"phone": "(415) 555-2671"},  # any spelling of the same number (PHONE_DEFAULT_REGION=US)
    ],
)
def test_login_by_username_email_or_phone_returns_a_pair(api_client, alice, identifier, password):
    response = api_client.post("/api/token/", {**identifier, "password": password})
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    me = api_client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert me.json()["username"] == "alice"


@pytest.mark.parametrize(
    "identifier",
    [{"username": "alice"}, {"email": "alice@example.com"}, {"phone": "+14155552671"}, {"username": "nobody"}],
)
def test_login_with_wrong_credentials_is_401(api_client, alice, identifier):
    response = api_client.post("/api/token/", {**identifier, "password": "wrong password"})
    assert response.status_code == 401
    assert "access" not in response.json()


def test_login_of_an_inactive_user_is_401(api_client, user_factory, password):
    user_factory(username="bob", is_active=False)
    assert api_client.post("/api/token/", {"username": "bob", "password": password}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": DEFAULT_PASSWORD}, "username"),
        ({"username": "alice"}, "password"),
        ({"username": "alice", "email": "alice@example.com", "password": DEFAULT_PASSWORD}, "email"),
        ({"phone": "not a phone", "password": DEFAULT_PASSWORD}, "phone"),
        ({"email": "not-an-email", "password": DEFAULT_PASSWORD}, "email"),
    ],
)
def test_malformed_login_is_400_naming_the_field(api_client, alice, body, field, password):
    response = api_client.post("/api/token/", body)
    assert response.status_code == 400
    assert field in response.json()


def test_login_updates_last_login(api_client, alice, login):
    assert alice.last_login is None
    login(username="alice")
    alice.refresh_from_db()
    assert alice.last_login is not None
