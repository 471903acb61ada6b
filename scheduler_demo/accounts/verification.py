"""Proving an email address: a signed, expiring code mailed to it.

The code is ``django.core.signing`` over the user's id and the address (Django's docs,
"Cryptographic signing"): nothing to store, and it stops working when the address
changes or after EMAIL_VERIFICATION_MAX_AGE seconds. Only the mailbox's owner reads it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail

logger = logging.getLogger("scheduler_demo.accounts")
SALT = "accounts.verify-email"


class InvalidCode(ValueError):
    pass


def make_code(user):
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=SALT, compress=True)


def user_for_code(code):
    """The user a code was made for, if it is genuine, fresh, and their address unchanged."""
    try:
        claim = signing.loads(code, salt=SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
        user = get_user_model().objects.get(pk=claim["user"])
    except (signing.BadSignature, get_user_model().DoesNotExist, KeyError, TypeError, ValueError):
        raise InvalidCode("This code is invalid or has expired: sign up again for a new one.") from None
    if user.email.lower() != claim["email"]:
        raise InvalidCode("This code was sent to an address the account no longer has.")
    return user


def address_taken(user):
    """Whether another account has already proved this address."""
    others = get_user_model().objects.exclude(pk=user.pk)
    return others.filter(email__iexact=user.email, email_verified=True).exists()


def send_verification_email(user):
    """Mail the code, or, if another account owns the address, tell its owner instead.

    Either way the sign-up's response is the same: it never says whether an address is
    taken. A mail server that is down does not fail the sign-up; the log says so (never
    with the code)."""
    if not user.email:
        return
    if address_taken(user):
        subject = "Someone tried to sign up with your address"
        body = f"An account {user.username!r} was created with this address. It is not linked to you.\n"
    else:
        subject = "Your verification code"
        body = (
            f"The account {user.username!r} was created with this address. If that was you, verify it:\n"
            f'POST /api/auth/verify-email/ {{"code": "{make_code(user)}"}}\n'
            "If it was not you, ignore this mail: without this code nothing is linked to that account.\n"
        )
    try:
        send_mail(subject, body, None, [user.email])
    except OSError as error:
        logger.warning("could not send the verification email of user %s: %s", user.pk, type(error).__name__)
