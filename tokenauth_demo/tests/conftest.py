import pytest
from rest_framework.authtoken.models import Token


@pytest.fixture
def key(user):
    """The key of the ``user`` fixture's (alice's) token, created by the post_save receiver."""
    return Token.objects.get(user=user).key


@pytest.fixture
def token_client(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client
