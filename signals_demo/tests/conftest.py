import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_throttle_history():
    # The login throttle counts attempts in the cache: every test starts from none.
    cache.clear()
    yield
    cache.clear()
