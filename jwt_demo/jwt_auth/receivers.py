"""Receivers connected as djwto's documentation shows: by signal and sender string.

They write an audit line per event. Never a token: at most its ``jti`` (an id that
cannot be used to authenticate) and the user id.
"""

import logging

from django.dispatch import receiver

from . import signals

logger = logging.getLogger("jwt_demo.audit")


@receiver(signals.jwt_logged_in, sender=signals.LOGIN_SENDER)
def log_login(sender, refresh_claims, **kwargs):
    logger.info("login user=%s refresh_jti=%s", refresh_claims["user_id"], refresh_claims["jti"])


@receiver(signals.jwt_login_fail, sender=signals.LOGIN_SENDER)
def log_login_failure(sender, error, **kwargs):
    logger.info("login failed: %s", error)


@receiver(signals.jwt_blacklisted, sender=signals.BLACKLIST_SENDER)
def log_logout(sender, jti, **kwargs):
    logger.info("logout refresh_jti=%s", jti)
