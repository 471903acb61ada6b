"""The login throttle: attempts per client address, good or bad."""

from django.core.cache import caches
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class SharedCounterThrottle(SimpleRateThrottle):
    """Counts in CACHES["throttle"], a table in the database, shared by every worker
    process. DRF's default cache is per process: gunicorn with 4 workers gave a client
    4 times the rate (33 of 40 login attempts were answered with 10/minute)."""

    @property
    def cache(self):
        return caches["throttle"]


class LoginRateThrottle(SharedCounterThrottle):
    """Rate: ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]`` (env LOGIN_THROTTLE_RATE).

    Counted per client address, whatever the username, so a script trying one password
    against many accounts is slowed down as much as one hammering a single account.
    """

    scope = "login"

    def get_rate(self):
        # SimpleRateThrottle copies the rates when DRF is imported; read them per request
        # so that a changed setting (override_settings in tests) is honoured.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignupRateThrottle(LoginRateThrottle):
    """Sign-ups per client address: ``DEFAULT_THROTTLE_RATES["signup"]`` (env
    SIGNUP_THROTTLE_RATE). Each one costs a password hash and an email."""

    scope = "signup"


class ImportRateThrottle(SharedCounterThrottle):
    """Imports per user: ``DEFAULT_THROTTLE_RATES["imports"]`` (env IMPORT_THROTTLE_RATE).

    An import tells its user which contacts are members already: without a limit, a
    script could upload address after address and learn who has an account here.
    """

    scope = "imports"

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
