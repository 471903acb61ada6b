"""Blacklisting refresh tokens safely: once, atomically, and revoking their access tokens."""

import time

from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from . import revocation, signals
from .tokens import LinkedRefreshToken


def issue_login_tokens(user):
    """A new refresh token (recorded in OutstandingToken) and its access token."""
    refresh = LinkedRefreshToken.for_user(user)
    return refresh, refresh.access_token


def send_login_signals(request, user, refresh, access):
    """What a login announces, whichever endpoint handed out the tokens (login, sign-up).

    SimpleJWT never sends Django's user_logged_in: sent here, its receivers run (Django's
    own update_last_login, audit logs, ...) exactly as for a session login.
    """
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    signals.jwt_logged_in.send(
        sender=signals.LOGIN_SENDER, request=request, refresh_claims=claims_of(refresh), access_claims=claims_of(access)
    )


def claims_of(token):
    """The claims the encoded token carries: its payload plus the ``iss`` and ``aud`` that
    SimpleJWT's TokenBackend adds only when it encodes."""
    claims = dict(token.payload)
    if api_settings.ISSUER:
        claims["iss"] = api_settings.ISSUER
    if api_settings.AUDIENCE:
        claims["aud"] = api_settings.AUDIENCE
    return claims


def claim_refresh_token(refresh):
    """Blacklist ``refresh`` and revoke its access tokens; exactly one caller wins.

    SimpleJWT's own ``refresh.blacklist()`` uses ``get_or_create``: two requests that
    both passed the "is it blacklisted?" check both "succeed" (pitfall 2). Here the
    INSERT into BlacklistedToken (one-to-one, so unique per token) decides: the database
    lets exactly one transaction insert the row; the others get an IntegrityError.
    """
    jti = refresh[api_settings.JTI_CLAIM]
    with transaction.atomic():  # the blacklist row and the revocation row: both or neither
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
    revocation.revoke(refresh_jti, access_horizon(refresh_expires_at))


def access_horizon(refresh_expires_at):
    """When the last access token minted from a refresh token expires, at the latest."""
    return min(refresh_expires_at, time.time() + api_settings.ACCESS_TOKEN_LIFETIME.total_seconds())


def logout_everywhere(user):
    """Blacklist every live refresh token of ``user`` and cut off all their tokens.

    Used after a password change or reset, and by ``manage.py logout_user``. The cutoff
    refuses every token issued until now, access tokens included, whatever minted them;
    the blacklist rows say which refresh tokens ended. Returns how many were blacklisted.
    """
    with transaction.atomic():
        live = list(
            OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)
        )
        BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in live], ignore_conflicts=True)
        revocation.cut_off(user.pk)
    return len(live)


def flush_expired_tokens():
    """Run SimpleJWT's ``flushexpiredtokens``: a function a scheduler can call daily.

    An expired refresh token can never be used again, so its OutstandingToken row (and,
    by cascade, its BlacklistedToken row) is dead weight: without this, both tables grow
    forever (pitfall 3). jwt_auth's command of that name also prunes expired revocations.
    """
    call_command("flushexpiredtokens")
