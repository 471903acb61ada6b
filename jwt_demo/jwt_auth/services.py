"""Blacklisting refresh tokens safely: once, atomically, and revoking their access tokens."""

import time

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from . import revocation


def claim_refresh_token(refresh):
    """Blacklist ``refresh`` and revoke its access tokens; exactly one caller wins.

    SimpleJWT's own ``refresh.blacklist()`` uses ``get_or_create``: two requests that
    both passed the "is it blacklisted?" check both "succeed" (pitfall 2). Here the
    INSERT into BlacklistedToken (one-to-one, so unique per token) decides: the database
    lets exactly one transaction insert the row; the others get an IntegrityError.
    """
    jti = refresh[api_settings.JTI_CLAIM]
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=jti,
        # Only for tokens issued before the blacklist app was installed: login always
        # records its refresh token (BlacklistMixin.for_user).
        defaults={"token": str(refresh), "expires_at": datetime_from_epoch(refresh["exp"])},
    )
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError as error:
        raise TokenError("Token is blacklisted") from error
    revoke_access_tokens_of(jti, refresh["exp"])


def revoke_access_tokens_of(refresh_jti, refresh_expires_at):
    """Put a blacklisted refresh token's ``jti`` on the revocation list.

    Access tokens carry it (claim ``rjti``), so all those minted from this refresh token
    are refused from now on. They were all issued before now, so they all expire within
    ACCESS_TOKEN_LIFETIME: the entry need not outlive that. (The refresh token itself is
    refused by the blacklist table for as long as it lives.)
    """
    horizon = time.time() + api_settings.ACCESS_TOKEN_LIFETIME.total_seconds()
    revocation.revoke(refresh_jti, min(refresh_expires_at, horizon))


def logout_everywhere(user):
    """Blacklist every live refresh token of ``user`` and revoke their access tokens.

    Used after a password change or reset. Returns how many tokens were blacklisted.
    """
    with transaction.atomic():
        live = list(
            OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)
        )
        BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in live], ignore_conflicts=True)
        for token in live:
            revoke_access_tokens_of(token.jti, token.expires_at.timestamp())
    return len(live)


def flush_expired_tokens():
    """Run SimpleJWT's ``flushexpiredtokens``: a function a scheduler can call daily.

    An expired refresh token can never be used again, so its OutstandingToken row (and,
    by cascade, its BlacklistedToken row) is dead weight: without this, both tables grow
    forever (pitfall 3).
    """
    call_command("flushexpiredtokens")
