"""Receivers: djwto's audit lines, and the user events that end a user's sessions.

The audit receivers are connected as djwto's documentation shows: by signal and sender
string. They write an audit line per event. Never a token: at most its ``jti`` (an id that
cannot be used to authenticate) and the user id.

The user receivers replace what SimpleJWT's ``get_user`` checked on every request by
loading the user (exists, active, password unchanged): such an event cuts off every token
of that user issued until then (``revocation.cut_off``), durably, in the same transaction
as the change (accounts.User.save is atomic; a delete is too). A request then needs no
user query. Signals do not fire for ``QuerySet.update()`` or raw SQL: after such a change,
call ``jwt_auth.services.logout_everywhere(user)`` (README, "Revocation").
"""

import logging

from django.conf import settings
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from . import revocation, signals

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


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def end_sessions_on_password_change_or_deactivation(sender, instance, update_fields=None, raw=False, **kwargs):
    """Any path: the API, the admin, the shell (``set_password(); save()``)."""
    watched = {"password", "is_active"}
    if raw or instance._state.adding or (update_fields is not None and not watched & set(update_fields)):
        return  # a new user, a fixture, or a save that cannot touch either (last_login at each login)
    stored = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is None:
        return
    if instance.password != stored["password"] or (stored["is_active"] and not instance.is_active):
        revocation.cut_off(instance.pk)


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def end_sessions_on_deletion(sender, instance, **kwargs):
    revocation.cut_off(instance.pk)
