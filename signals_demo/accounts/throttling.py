"""The login throttle: attempts per client address, good or bad."""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class LoginRateThrottle(SimpleRateThrottle):
    """Rate: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]`` (env LOGIN_THROTTLE_RATE).

    Counted per client address, whatever the username, so a script trying one password
    against many accounts is slowed down as much as one hammering a single account;
    in the database, so that every worker process sees the same count.
    """

    scope = "login"

    @property
    def cache(self):
        # Shared by every worker process (config/settings.py, CACHES["throttle"]).
        return caches["throttle"]

    def get_rate(self):
        # SimpleRateThrottle copies the rates when DRF is imported; read them per request
        # so that a changed setting (override_settings in tests) is honoured.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
