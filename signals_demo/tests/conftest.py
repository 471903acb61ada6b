import pytest
from django.core.cache import cache, caches


@pytest.fixture(autouse=True)
def fresh_throttle_history(request):
    # The login throttle counts attempts in a database cache (CACHES["throttle"]): every
    # test that may use the database starts from none. A test's transaction would roll them
    # back, but the flush after a transactional test leaves the cache table alone.
    cleared = [cache]
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("_django_db_helper")  # database access first
        cleared.append(caches["throttle"])
    for each in cleared:
        each.clear()
    yield
    for each in cleared:
        each.clear()
