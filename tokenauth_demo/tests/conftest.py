import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    # The login throttle counts in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def login_rate(settings):
    """``login_rate("3/minute")``: a low login throttle rate for one test."""

    def set_rate(rate):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": rate}}

    return set_rate


@pytest.fixture
def key(user):
    """The key of the ``user`` fixture's (alice's) token, created by the post_save receiver."""
    return Token.objects.get(user=user).key


@pytest.fixture
def token_client(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client
