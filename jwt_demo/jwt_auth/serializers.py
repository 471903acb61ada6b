from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken

from accounts.limits import PASSWORD_MAX_LENGTH, PHONE_MAX_LENGTH
from accounts.phone import normalize_phone

from . import services
from .authentication import accept_token, user_row
from .tokens import LinkedRefreshToken

IDENTIFIERS = ("username", "email", "phone")
TOKEN_MAX_LENGTH = 4096  # a real token is a few hundred characters


def read_refresh_token(raw, check_user=True):
    """A refresh token this server accepts (``accept_token``) and its (token) user, or a 401."""
    return accept_token(raw, (LinkedRefreshToken,), check_user=check_user)


class LoginSerializer(serializers.Serializer):
    """``{username | email | phone, password}``: exactly one identifier."""

    username = serializers.CharField(required=False, max_length=150)
    email = serializers.EmailField(required=False, max_length=254)
    phone = serializers.CharField(required=False, max_length=PHONE_MAX_LENGTH)
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH)

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

    refresh = serializers.CharField(max_length=TOKEN_MAX_LENGTH)

    def validate(self, attrs):
        # Deleted, deactivated, password changed (any path), blacklisted: 401 (pitfalls 4, 5).
        _, old = read_refresh_token(attrs["refresh"])
        user = user_row(old)  # the new token is made for the row (and checked against it once more)
        with transaction.atomic():  # the claim and the new token: both or neither
            try:
                services.claim_refresh_token(old)
            except TokenError as error:  # another request used it first
                raise InvalidToken(error.args[0]) from error
            new = LinkedRefreshToken.for_user(user)
        return {"refresh": new, "access": new.access_token}


class BlacklistSerializer(serializers.Serializer):
    """Log out: blacklist the refresh token (and revoke its access tokens)."""

    refresh = serializers.CharField(max_length=TOKEN_MAX_LENGTH)

    def validate(self, attrs):
        _, token = read_refresh_token(attrs["refresh"], check_user=False)
        try:
            services.claim_refresh_token(token)
        except TokenError as error:
            raise InvalidToken(error.args[0]) from error
        return {"jti": token[api_settings.JTI_CLAIM]}


class VerifySerializer(serializers.Serializer):
    """200 for an access or refresh token this server would accept right now, else 401."""

    token = serializers.CharField(max_length=TOKEN_MAX_LENGTH)

    def validate(self, attrs):
        accept_token(attrs["token"], (AccessToken, LinkedRefreshToken))
        return {}
