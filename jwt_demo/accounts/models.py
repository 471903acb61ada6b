from django.contrib.auth.models import AbstractUser
from django.db import models

from .phone import normalize_phone


def normalize_email_address(email):
    # Lower-case the whole address (Django only lower-cases the domain), so the plain
    # unique index on email also catches "Alice@x.com" vs "alice@x.com" and a login
    # lookup stays an index-friendly equality instead of UPPER(email) = UPPER(%s).
    return (email or "").strip().lower()


class User(AbstractUser):
    """Username (unique, from AbstractUser), unique email, unique optional phone.

    Each login lookup (username, email or phone) is an equality on a unique column,
    so each one is served by that column's unique index (see tests/test_indexes.py).
    """

    email = models.EmailField("email address", unique=True)
    # NULL, not "", when absent: NULLs never collide in a unique index.
    phone = models.CharField("phone (E.164)", max_length=16, unique=True, null=True, blank=True)

    REQUIRED_FIELDS = ["email"]

    def save(self, *args, **kwargs):
        self.email = normalize_email_address(self.email)
        # Every writer (API, admin, shell) stores the same spelling; E.164 input is unchanged.
        self.phone = normalize_phone(self.phone) if self.phone else None
        super().save(*args, **kwargs)
