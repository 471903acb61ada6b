"""No DRF token left alive after its user's password changes, however it changed.

DRF's ``Token`` never expires and does not depend on the password hash: without these
receivers, a key stolen before ``set_password(); save()`` (the shell, the admin's
password form, a reset) keeps working after it. The same pair as tokenauth_demo's.
"""

from rest_framework.authtoken.models import Token

PASSWORD_CHECK_UID = "accounts.notice_a_password_change"
TOKEN_END_UID = "accounts.end_tokens_after_a_password_change"


def notice_a_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: is this save about to write a different password hash?

    The stored hash is read from the database (one primary-key lookup), and only when
    the save writes the password column: ``save(update_fields=["last_login"])`` at a
    login costs nothing.
    """
    instance._password_changed = False
    writes_password = update_fields is None or "password" in update_fields
    if raw or instance.pk is None or not writes_password or "password" not in instance.__dict__:
        return  # a fixture, a new user, or a save that leaves the password column alone
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and stored != instance.password


def end_tokens_after_a_password_change(sender, instance, created, raw=False, **kwargs):
    """post_save: the new hash is written, so every key issued before it dies.

    After the save, not before: a save that fails keeps the old password and its keys.
    ``QuerySet.update(password=...)`` sends no signals: change passwords through ``save()``.
    """
    if created or raw or not getattr(instance, "_password_changed", False):
        return
    Token.objects.filter(user=instance).delete()
    instance._password_changed = False
