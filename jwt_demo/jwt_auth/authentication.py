from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings

from . import revocation
from .tokens import REFRESH_JTI_CLAIM


class RevocationAwareJWTAuthentication(JWTAuthentication):
    """SimpleJWT's authentication, plus the revocation list (pitfall 1).

    Stock JWTAuthentication only checks the signature, ``exp``, ``iss``/``aud``, the type
    and the user (exists, active, password unchanged): an access token stays usable after
    logout until it expires. Here an access token is also refused when its own ``jti`` or
    its refresh token's ``jti`` (claim ``rjti``) is revoked. Cost: one indexed lookup in
    the revocation table (none on a Redis hit), no query on SimpleJWT's token tables.

    ``token_classes`` (default: SimpleJWT's AUTH_TOKEN_CLASSES, the access token) lets
    ``accept_token`` apply the very same checks to refresh tokens.
    """

    token_classes = None

    def get_header(self, request):
        try:
            return super().get_header(request)
        except UnicodeEncodeError as error:  # a header that is not latin-1: garbage, not a 500
            raise AuthenticationFailed(_("Malformed Authorization header"), code="bad_authorization_header") from error

    def get_validated_token(self, raw_token):
        token = self.decode(raw_token)
        if revocation.is_revoked(token.get(api_settings.JTI_CLAIM), token.get(REFRESH_JTI_CLAIM)):
            raise InvalidToken(_("Token has been revoked"))
        return token

    def decode(self, raw_token):
        """Signature, ``exp``, ``iss``, ``aud`` and type, by the first class that accepts it."""
        messages = []
        for token_class in self.token_classes or api_settings.AUTH_TOKEN_CLASSES:
            try:
                return token_class(raw_token)
            except TokenError as error:
                messages.append({"token_class": token_class.__name__, "message": error.args[0]})
        raise InvalidToken({"detail": _("Given token not valid for any token type"), "messages": messages})


def accept_token(raw_token, token_classes, *, check_user=True):
    """The one answer to "would this server accept this token right now?": ``(user, token)``
    or a 401 (InvalidToken / AuthenticationFailed).

    Every endpoint that takes a token asks here, so that none can disagree with the
    authentication class: the same decoding (signature, exp, iss, aud, type; a refresh
    token also must not be blacklisted), the same revocation list, the same user checks
    (exists, active, password unchanged since the token was issued: CHECK_REVOKE_TOKEN).
    ``check_user=False`` (logout only) skips the user: logging a gone user out is harmless.
    """
    authentication = RevocationAwareJWTAuthentication()
    authentication.token_classes = token_classes
    token = authentication.get_validated_token(raw_token)
    return (authentication.get_user(token) if check_user else None), token


class RevocationAwareJWTScheme(SimpleJWTScheme):
    """Tells drf-spectacular that this class takes SimpleJWT's Bearer token (OpenAPI schema)."""

    target_class = RevocationAwareJWTAuthentication
