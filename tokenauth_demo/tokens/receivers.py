"""The user's receivers: a token and a PersonalDetail for every new user, and no token
left alive after the user's password changes."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from rest_framework.authtoken.models import Token

from .models import PersonalDetail

DISPATCH_UID = "tokens.create_token_and_personal_detail"
PASSWORD_CHECK_UID = "tokens.notice_a_password_change"
TOKEN_END_UID = "tokens.end_tokens_after_a_password_change"


def create_token_and_personal_detail(sender, instance, created, raw=False, **kwargs):
    """Runs after every save of a user; acts only on a real creation.

    - ``created`` is False for updates: ``user.save()`` later must not add a second token.
    - ``raw`` is True while ``loaddata`` loads fixtures: the fixture brings its own rows.
    - It never touches ``is_staff``/``is_superuser`` (the token-auth tutorial's receiver made every new
      user a superuser) and never calls ``instance.save()`` (that re-sends post_save).
    It runs inside the caller's transaction, so a failure here rolls the user back too.
    """
    if not created or raw:
        return
    Token.objects.create(user=instance)
    PersonalDetail.objects.create(user=instance)


def notice_a_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: is this save about to write a different password hash? (pitfall 4)

    The stored hash is read from the database, not remembered from post_init (the
    "remember the loaded value" pattern of signals_demo): a remembered value misses a user
    built by hand (``User(pk=7, password=...)``) and goes stale when another instance of
    the same row saved in between. One primary-key lookup, only when the save writes the
    password column: ``save(update_fields=["last_login"])`` at every login costs nothing.
    """
    instance._password_changed = False
    writes_password = update_fields is None or "password" in update_fields
    if raw or instance.pk is None or not writes_password or "password" not in instance.__dict__:
        return  # a fixture, a new user, or a save that leaves the password column alone
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and stored != instance.password


def end_tokens_after_a_password_change(sender, instance, created, raw=False, **kwargs):
    """post_save: the new hash is written, so every key issued before it dies.

    Any path that saves the user counts: ``set_password(); save()`` in a shell, the
    admin's password form, a password reset. After the save, not before: a save that
    fails keeps the old password and its keys. ``QuerySet.update(password=...)`` sends
    no signals and is not covered: change passwords through ``save()``.
    """
    if created or raw or not getattr(instance, "_password_changed", False):
        return
    Token.objects.filter(user=instance).delete()
    instance._password_changed = False


def connect():
    # A lazy "app_label.Model" sender follows AUTH_USER_MODEL; dispatch_uid makes a
    # second connect() a no-op instead of a second token.
    user_model = settings.AUTH_USER_MODEL
    post_save.connect(create_token_and_personal_detail, sender=user_model, dispatch_uid=DISPATCH_UID)
    pre_save.connect(notice_a_password_change, sender=user_model, dispatch_uid=PASSWORD_CHECK_UID)
    post_save.connect(end_tokens_after_a_password_change, sender=user_model, dispatch_uid=TOKEN_END_UID)


def disconnect():
    """Returns True when the token-creating receiver was connected."""
    return post_save.disconnect(sender=get_user_model(), dispatch_uid=DISPATCH_UID)


def disconnect_password_change_receivers():
    """Returns True when both password-change receivers were connected."""
    user_model = get_user_model()
    noticed = pre_save.disconnect(sender=user_model, dispatch_uid=PASSWORD_CHECK_UID)
    ended = post_save.disconnect(sender=user_model, dispatch_uid=TOKEN_END_UID)
    return noticed and ended
