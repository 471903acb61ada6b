import pytest
from django.core.cache import caches
from rest_framework.authtoken.models import Token

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    # The throttles count in their own cache; every test starts with none (and an empty default).
    for alias in ("default", "throttle"):
        caches[alias].clear()
    yield
    for alias in ("default", "throttle"):
        caches[alias].clear()


def throttle_rate(settings, scope, rate):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope: rate}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.fixture
def login_rate(settings):
    """``login_rate("3/minute")``: a low login throttle rate for one test."""
    return lambda rate: throttle_rate(settings, "login", rate)


@pytest.fixture
def register_rate(settings):
    """``register_rate("2/hour")``: a low sign-up throttle rate for one test."""
    return lambda rate: throttle_rate(settings, "signup", rate)


@pytest.fixture
def key(user):
    """The key of the ``user`` fixture's (alice's) token, created by the post_save receiver."""
    return Token.objects.get(user=user).key


@pytest.fixture
def token_client(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client
