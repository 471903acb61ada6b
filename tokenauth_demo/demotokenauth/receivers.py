"""The post_save receiver that gives every new user a token and a PersonalDetail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from rest_framework.authtoken.models import Token

from .models import PersonalDetail

DISPATCH_UID = "demotokenauth.create_token_and_personal_detail"


def create_token_and_personal_detail(sender, instance, created, raw=False, **kwargs):
    """Runs after every save of a user; acts only on a real creation.

    - ``created`` is False for updates: ``user.save()`` later must not add a second token.
    - ``raw`` is True while ``loaddata`` loads fixtures: the fixture brings its own rows.
    - It never touches ``is_staff``/``is_superuser`` (the seed's receiver made every new
      user a superuser) and never calls ``instance.save()`` (that re-sends post_save).
    It runs inside the caller's transaction, so a failure here rolls the user back too.
    """
    if not created or raw:
        return
    Token.objects.create(user=instance)
    PersonalDetail.objects.create(user=instance)


def connect():
    # A lazy "app_label.Model" sender follows AUTH_USER_MODEL; dispatch_uid makes a
    # second connect() a no-op instead of a second token.
    post_save.connect(create_token_and_personal_detail, sender=settings.AUTH_USER_MODEL, dispatch_uid=DISPATCH_UID)


def disconnect():
    """Returns True when the receiver was connected."""
    return post_save.disconnect(sender=get_user_model(), dispatch_uid=DISPATCH_UID)
