from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Django's user plus a phone number, so a sign-up can match imported phone contacts.

    A custom user model from the first migration is what Django's docs recommend: it
    cannot be swapped in later without rewriting every foreign key to the user table.
    """

    # Stored normalized (see contacts.phones.normalize_phone), e.g. "+4915112345678".
    phone = models.CharField(max_length=20, blank=True, db_index=True)
