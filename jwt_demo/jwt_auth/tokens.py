from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

# The claim linking an access token to the refresh token it was minted from, so that
# blacklisting a refresh token can also revoke its access tokens (pitfall 1).
REFRESH_JTI_CLAIM = "rjti"


class LinkedRefreshToken(RefreshToken):
    """SimpleJWT's refresh token whose access tokens carry its ``jti`` (``rjti``): linked, so
    that blacklisting the refresh token can revoke them too."""

    @property
    def access_token(self):
        access = super().access_token
        access[REFRESH_JTI_CLAIM] = self[api_settings.JTI_CLAIM]
        return access
