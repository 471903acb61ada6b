from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

# The claim linking an access token to the refresh token it was minted from, so that
# blacklisting a refresh token can also revoke its access tokens (pitfall 1).
REFRESH_JTI_CLAIM = "rjti"


class PreciseIssuedAt:
    """``iat`` to the microsecond (RFC 7519's NumericDate may have a fraction).

    A user's cutoff (a password change, say) refuses every token issued at or before it
    (jwt_auth/revocation.py). With SimpleJWT's whole seconds, a login one millisecond
    after the change, in the same second, could not be told from one just before it: it
    would have to be refused as well. A token with a whole-second ``iat`` only looks older
    than it is, so it is never accepted wrongly.
    """

    def set_iat(self, claim="iat", at_time=None):
        self.payload[claim] = (at_time or self.current_time).timestamp()


class LinkedAccessToken(PreciseIssuedAt, AccessToken):
    """SimpleJWT's access token, with a precise ``iat``. Read back as a plain AccessToken."""


class LinkedRefreshToken(PreciseIssuedAt, RefreshToken):
    """SimpleJWT's refresh token whose access tokens carry its ``jti`` (``rjti``): linked, so
    that blacklisting the refresh token can revoke them too."""

    access_token_class = LinkedAccessToken

    @property
    def access_token(self):
        access = super().access_token
        access[REFRESH_JTI_CLAIM] = self[api_settings.JTI_CLAIM]
        return access
