from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction

from .phone import normalize_phone

EMAIL_MAX_LENGTH = 254


def normalize_email_address(email):
    """The one spelling of an address: ``" Alice@ＥXAMPLE.com "`` -> ``"alice@example.com"``.

    The whole address is lower-cased (Django only lower-cases the domain), so the plain
    unique index on email catches "Alice@x.com" vs "alice@x.com" and a login lookup stays
    an index-friendly equality. The domain goes through IDNA, as Django's mailer sends it
    (django.utils.encoding.punycode): fullwidth letters, case and "ß" map to what the mail
    really reaches, so two spellings of one mailbox cannot be two accounts. ``ValueError``
    when IDNA cannot encode the domain: such an address cannot be mailed at all.
    """
    email = (email or "").strip()
    local, at, domain = email.rpartition("@")
    if not at:
        return email.lower()  # not an address; the EmailField's validator reports it
    try:
        domain = domain.encode("idna").decode("idna").lower()  # ASCII labels keep their case in IDNA
    except UnicodeError as error:
        raise ValueError("Enter a valid email address.") from error
    return f"{local.lower()}@{domain}"


class User(AbstractUser):
    """Username (unique, from AbstractUser), unique email, unique optional phone.

    Each login lookup (username, email or phone) is an equality on a unique column,
    so each one is served by that column's unique index (see tests/test_indexes.py).
    """

    email = models.EmailField("email address", unique=True)
    # NULL, not "", when absent: NULLs never collide in a unique index.
    phone = models.CharField("phone (E.164)", max_length=16, unique=True, null=True, blank=True)

    REQUIRED_FIELDS = ["email"]

    def clean(self):
        """What the admin's forms run before their uniqueness check: the stored spellings,
        so "Alice@Example.com" or "(415) 555-2671" meet the existing row as a form error
        instead of an IntegrityError (a 500) in save()."""
        super().clean()
        errors = {}
        try:
            self.email = normalize_email_address(self.email)
        except ValueError as error:
            errors["email"] = str(error)
        if len(self.email) > EMAIL_MAX_LENGTH:  # "İ" lower-cased is two characters
            errors["email"] = f"Ensure this value has at most {EMAIL_MAX_LENGTH} characters."
        try:
            self.phone = normalize_phone(self.phone) if self.phone else None
        except ValueError as error:
            errors["phone"] = str(error)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Every writer (API, admin, shell) stores the same spelling; E.164 input is unchanged.
        self.email = normalize_email_address(self.email)
        self.phone = normalize_phone(self.phone) if self.phone else None
        # Atomic: a new password or a deactivation and the cutoff that ends the user's sessions
        # (jwt_auth/receivers.py, on pre_save) commit together, or neither does.
        with transaction.atomic():
            super().save(*args, **kwargs)
