from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import UntypedToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.phone import normalize_phone

from . import revocation, services
from .tokens import REFRESH_JTI_CLAIM, DemoRefreshToken

IDENTIFIERS = ("username", "email", "phone")


def read_refresh_token(raw):
    """Decode and verify a refresh token (signature, exp, type, blacklist) or 401."""
    try:
        return DemoRefreshToken(raw)
    except TokenError as error:
        raise InvalidToken(error.args[0]) from error


class LoginSerializer(serializers.Serializer):
    """``{username | email | phone, password}``: exactly one identifier."""

    username = serializers.CharField(required=False)
    email = serializers.EmailField(required=False)
    phone = serializers.CharField(required=False)
    password = serializers.CharField(write_only=True, trim_whitespace=False)

    default_error_messages = {"no_active_account": _("No active account found with the given credentials")}

    def validate(self, attrs):
        given = [field for field in IDENTIFIERS if attrs.get(field)]
        if not given:
            raise serializers.ValidationError({"username": [_("Send one of username, email or phone.")]})
        if len(given) > 1:
            raise serializers.ValidationError({given[1]: [_("Send only one of username, email or phone.")]})
        field = given[0]
        if field == "phone":
            try:
                normalize_phone(attrs["phone"])
            except ValueError as error:
                raise serializers.ValidationError({"phone": [str(error)]}) from error
        # authenticate() sends Django's user_login_failed itself when no backend accepts.
        user = authenticate(self.context["request"], password=attrs["password"], **{field: attrs[field]})
        if user is None:
            raise AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account")
        return {"user": user}


class RefreshSerializer(serializers.Serializer):
    """Rotate a refresh token: the old one is claimed atomically (pitfall 2)."""

    refresh = serializers.CharField()

    def validate(self, attrs):
        old = read_refresh_token(attrs["refresh"])
        user = get_user_model().objects.filter(pk=old[api_settings.USER_ID_CLAIM]).first()
        # Deleted or deactivated user: 401, never a 500 (pitfall 5).
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            raise InvalidToken(_("No active account found for the given token."))
        # Password changed since this token was issued (by any path): refuse (pitfall 4).
        if old.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
            raise InvalidToken(_("The user's password has been changed."))
        with transaction.atomic():  # the claim and the new token: both or neither
            try:
                services.claim_refresh_token(old)
            except TokenError as error:  # another request used it first
                raise InvalidToken(error.args[0]) from error
            new = DemoRefreshToken.for_user(user)
        return {"refresh": new, "access": new.access_token}


class BlacklistSerializer(serializers.Serializer):
    """Log out: blacklist the refresh token (and revoke its access tokens)."""

    refresh = serializers.CharField()

    def validate(self, attrs):
        token = read_refresh_token(attrs["refresh"])
        try:
            services.claim_refresh_token(token)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from error
        return {"jti": token[api_settings.JTI_CLAIM]}


class VerifySerializer(serializers.Serializer):
    """200 for a token this server would accept right now, else 401."""

    token = serializers.CharField()

    def validate(self, attrs):
        try:
            token = UntypedToken(attrs["token"])  # signature, exp, jti, a type claim
        except TokenError as error:
            raise InvalidToken(error.args[0]) from error
        jti = token[api_settings.JTI_CLAIM]
        if revocation.is_revoked(jti, token.get(REFRESH_JTI_CLAIM)):
            raise InvalidToken(_("Token has been revoked"))
        if (
            token[api_settings.TOKEN_TYPE_CLAIM] == "refresh"
            and BlacklistedToken.objects.filter(token__jti=jti).exists()
        ):
            raise InvalidToken(_("Token is blacklisted"))
        user = get_user_model().objects.filter(pk=token.get(api_settings.USER_ID_CLAIM)).first()
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            raise InvalidToken(_("No active account found for the given token."))
        return {}
