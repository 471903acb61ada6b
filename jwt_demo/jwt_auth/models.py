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

    def __str__(self):
        return f"{self.jti} (until {self.expires_at:%Y-%m-%d %H:%M:%S})"
