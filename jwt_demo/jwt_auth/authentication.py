from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.models import TokenUser
from rest_framework_simplejwt.settings import api_settings

from . import revocation
from .verified import verified_tokens


class RevocationAwareJWTAuthentication(JWTAuthentication):
    """SimpleJWT's authentication, plus the revocation list and the users' cutoffs (pitfall 1).

    Stock JWTAuthentication checks the signature, ``exp``, ``iss``/``aud``, the type, and
    loads the user (exists, active, password unchanged) with one query per request: an
    access token stays usable after logout until it expires. Here a token is also refused
    when its own ``jti`` or its refresh token's ``jti`` (claim ``rjti``) is revoked, or
    when its user's tokens were cut off after it was issued (password changed, user
    deactivated or deleted). Both are read from this process's mirror (jwt_auth/revocation.py),
    and the user is the token's (``ClaimsUser``), not a row: a request costs no query.

    ``token_classes`` (default: SimpleJWT's AUTH_TOKEN_CLASSES, the access token) lets
    ``accept_token`` apply the very same checks to refresh tokens; ``check_user = False``
    (logout only) skips the cutoff.
    """

    token_classes = None
    check_user = True

    def get_header(self, request):
        try:
            return super().get_header(request)
        except UnicodeEncodeError as error:  # a header that is not latin-1: garbage, not a 500
            raise AuthenticationFailed(_("Malformed Authorization header"), code="bad_authorization_header") from error

    def get_validated_token(self, raw_token):
        token = self.decode(raw_token)
        if revocation.is_refused(token, check_user=self.check_user):
            raise InvalidToken(_("Token has been revoked"))
        return token

    def decode(self, raw_token):
        """Signature, ``exp``, ``iss``, ``aud`` and type, by the first class that accepts it;
        the signature once per token string and process (jwt_auth/verified.py)."""
        messages = []
        for token_class in self.token_classes or api_settings.AUTH_TOKEN_CLASSES:
            try:
                return verified_tokens.load(token_class, raw_token)
            except TokenError as error:
                messages.append({"token_class": token_class.__name__, "message": error.args[0]})
        raise InvalidToken({"detail": _("Given token not valid for any token type"), "messages": messages})

    def get_user(self, validated_token):
        """The token's user, not the row (SimpleJWT's JWTStatelessUserAuthentication does the same)."""
        if api_settings.USER_ID_CLAIM not in validated_token:
            raise InvalidToken(_("Token contained no recognizable user identification"))
        return ClaimsUser(validated_token)


class ClaimsUser(TokenUser):
    """``request.user`` as the token states it: its id, nothing read from the database.

    SimpleJWT's TokenUser answers any other attribute from the token's claims, or None:
    ``request.user.email`` would silently be None. Here it is an error that says what to
    do instead: a view that needs the row loads it (``user_row``, accounts' ``AccountView``).
    ``is_staff`` and ``is_superuser`` come from claims this demo does not issue: False.
    """

    def __getattr__(self, attr):
        raise AttributeError(f"the token carries only the user's id, not {attr!r}: load the row with user_row()")


def user_row(token):
    """The token's user, loaded: one query, with SimpleJWT's checks (the user exists, is
    active, and its password is the one the token was issued with: CHECK_REVOKE_TOKEN),
    each a 401. For the endpoints that need the row: the account views, the refresh."""
    return JWTAuthentication().get_user(token)


def accept_token(raw_token, token_classes, *, check_user=True):
    """The one answer to "would this server accept this token right now?": ``(user, token)``
    or a 401 (InvalidToken / AuthenticationFailed). ``user`` is a ClaimsUser (no query).

    Every endpoint that takes a token asks here, so that none can disagree with the
    authentication class: the same decoding (signature, exp, iss, aud, type; a refresh
    token also must not be blacklisted), the same revocation list, the same cutoffs
    (the user deactivated, deleted, or its password changed after the token was issued).
    ``check_user=False`` (logout only) skips the cutoff: logging a gone user out is harmless.
    """
    authentication = RevocationAwareJWTAuthentication()
    authentication.token_classes = token_classes
    authentication.check_user = check_user
    token = authentication.get_validated_token(raw_token)
    return authentication.get_user(token), token


class RevocationAwareJWTScheme(SimpleJWTScheme):
    """Tells drf-spectacular that this class takes SimpleJWT's Bearer token (OpenAPI schema)."""

    target_class = RevocationAwareJWTAuthentication
