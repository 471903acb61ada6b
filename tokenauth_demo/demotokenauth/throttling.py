"""The login throttle: DRF's ScopedRateThrottle, counted per client address."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class LoginRateThrottle(ScopedRateThrottle):
    """Counts login attempts (good or bad) per client address, whatever the username.

    Per address, not per username: a script spraying one password over many usernames
    is slowed down as much as one hammering a single account. Views opt in with
    ``throttle_scope = "login"``; the rate is
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]`` (env ``LOGIN_THROTTLE_RATE``).
    """

    def get_rate(self):
        # SimpleRateThrottle copies DEFAULT_THROTTLE_RATES into a class attribute when
        # DRF is imported, so a changed setting (override_settings in tests) would be
        # ignored. api_settings is reloaded on setting_changed: read it per request.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()
