"""auditlog_demo's own fixtures: its users, a token client, a note (the harness has the rest)."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken


def client_with_token(user):
    """An APIClient carrying a real SimpleJWT access token for ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def bearer():
    """``bearer(user)``: an APIClient sending ``Authorization: Bearer <user's access token>``."""
    return client_with_token


@pytest.fixture
def ann(user_factory):
    return user_factory(username="ann")


@pytest.fixture
def bob(user_factory):
    return user_factory(username="bob")


@pytest.fixture
def staff(user_factory):
    return user_factory(username="sam", is_staff=True)


@pytest.fixture
def ann_client(ann):
    return client_with_token(ann)


@pytest.fixture
def create_note(ann_client):
    def create(title="Groceries", body="milk", tags=("home",), client=None):
        response = (client or ann_client).post("/api/notes/", {"title": title, "body": body, "tags": list(tags)})
        assert response.status_code == 201, response.content
        return response.json()

    return create
