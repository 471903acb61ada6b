"""The bridge: allauth's headless API hands a mobile app a SimpleJWT pair.

allauth authenticates (the provider's ID token: its signature, issuer, audience and
expiry); SimpleJWT issues the tokens every other endpoint accepts. allauth's token
strategy is the hook where the two meet, so nothing here re-checks what allauth checked,
and the refresh is SimpleJWT's own serializer (an inactive user gets no new token).
A new password ends every pair issued before it: SIMPLE_JWT's CHECK_REVOKE_TOKEN for access
tokens, and the same check here for refresh tokens, which SimpleJWT's serializer skips.
"""

from allauth.core.internal.httpkit import authenticated_user
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password


class SimpleJWTTokenStrategy(SessionTokenStrategy):
    """allauth's session token for the sign-in steps, then a SimpleJWT pair for the API."""

    def create_access_token_payload(self, request):
        user = authenticated_user(request)
        if user is None:
            return None
        refresh = RefreshToken.for_user(user)
        return {
            "access_token": str(refresh.access_token),
            "refresh_token": str(refresh),
            "expires_in": int(refresh.access_token.lifetime.total_seconds()),
        }

    def refresh_token(self, refresh_token):
        """POST /_allauth/app/v1/tokens/refresh: a new access token, or None (allauth: 400)."""
        serializer = TokenRefreshSerializer(data={"refresh": refresh_token})
        try:  # SimpleJWT's own view catches TokenError too: a malformed token raises it
            serializer.is_valid(raise_exception=True)
            if password_changed_since(RefreshToken(refresh_token, verify=False)):  # verified just above
                return None
        # ObjectDoesNotExist: the user was deleted after the token was issued.
        except (TokenError, AuthenticationFailed, ValidationError, ObjectDoesNotExist):
            return None
        return serializer.validated_data["access"], serializer.validated_data.get("refresh", refresh_token)


def password_changed_since(token):
    """Whether the token's user has a new password since it was issued (its hash claim)."""
    user = get_user_model().objects.get(**{api_settings.USER_ID_FIELD: token[api_settings.USER_ID_CLAIM]})
    return token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password)
