from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Django's user plus a phone number, so a sign-up can match imported phone contacts.

    A custom user model from the first migration is what Django's docs recommend: it
    cannot be swapped in later without rewriting every foreign key to the user table.
    """

    # Stored normalized (see contacts.phones.normalize_phone), e.g. "+4915112345678".
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    # Anyone can type anyone's address at sign-up: only a proven one links the contacts
    # that hold it (contacts/members.py). The email is proven by the code mailed to it
    # (accounts/verification.py); a phone needs an SMS provider this demo does not have,
    # so only staff (the admin) or a trusted creation path sets phone_verified.
    email_verified = models.BooleanField(default=False)
    phone_verified = models.BooleanField(default=False)
