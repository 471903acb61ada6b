from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import ScopedRateThrottle


class SharedScopedRateThrottle(ScopedRateThrottle):
    """DRF's ScopedRateThrottle with its counters in ``CACHES[settings.THROTTLE_CACHE]``.

    DRF keeps counters in the default cache, shared with everything else. In a database
    cache that culls (MAX_ENTRIES) unrelated entries would erase them and reopen password
    guessing; the "throttle" alias is sized not to (config/settings.py). Looked up per
    request, so a changed CACHES setting (tests) is honoured.
    """

    @property
    def cache(self):
        return caches[settings.THROTTLE_CACHE]
