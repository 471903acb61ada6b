from django.db import models


class RevokedToken(models.Model):
    """A token id (``jti``) refused until ``expires_at``: the revocation list's source of truth.

    A row per blacklisted refresh token (its ``jti`` stands for every access token minted
    from it, claim ``rjti``) or revoked access token. A database row cannot be culled,
    evicted or cleared the way a cache entry can. The daily ``flushexpiredtokens`` deletes
    rows whose ``expires_at`` has passed (the index keeps that cheap): by then every token
    they revoke has expired anyway, so the table only holds what is still live.
    """

    jti = models.CharField(max_length=255, unique=True)  # the unique index serves every lookup
    expires_at = models.DateTimeField(db_index=True)
    # The RevocationClock's value when the row was written: each process's mirror reads
    # only the rows newer than what it has (jwt_auth/revocation.py). No default: a row
    # written around revocation.revoke() would never reach the mirrors that already synced.
    stamp = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"{self.jti} (until {self.expires_at:%Y-%m-%d %H:%M:%S})"


class UserTokenCutoff(models.Model):
    """Every token of one user issued at or before ``valid_after`` is refused.

    Written when the user's password changes, when the user is deactivated or deleted and
    on "log out everywhere" (jwt_auth/receivers.py, services.logout_everywhere): what
    SimpleJWT's ``get_user`` checked by loading the user on every request, kept here so
    that a request needs no user query. ``user_id`` is the token's claim, not a foreign
    key: the row must outlive a deleted user. It is needed until the last token issued
    before ``valid_after`` has expired (``expires_at``, a refresh token's lifetime later).
    """

    user_id = models.CharField(max_length=255, unique=True)
    valid_after = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    stamp = models.BigIntegerField(db_index=True)

    def __str__(self):
        return f"user {self.user_id}: tokens issued after {self.valid_after:%Y-%m-%d %H:%M:%S.%f}"


class RevocationClock(models.Model):
    """One row, one number: incremented by every transaction that writes a revocation.

    The increment locks the row until that transaction commits, so stamps commit in
    order: a reader that sees stamp 8 has seen every row stamped 7 or less. An id or a
    timestamp would not do: they are handed out before the commit, and transactions
    commit in any order (PostgreSQL), so "rows newer than the last sync" could skip one.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"revocation clock at {self.value}"
