"""The token endpoints. Each view sends djwto's signal with djwto's sender string."""

import json

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import AUTH_HEADER_TYPES

from config.plumbing.openapi import error

from . import services, signals
from .serializers import BlacklistSerializer, LoginSerializer, RefreshSerializer, VerifySerializer
from .throttling import FailedLoginThrottle, OneAtATimeThrottle

# The bodies these views build by hand, named for the OpenAPI schema (/api/schema/).
TOKEN_PAIR = inline_serializer("TokenPair", {"access": serializers.CharField(), "refresh": serializers.CharField()})
EMPTY = inline_serializer("Empty", {})
BAD_TOKEN = error("Invalid, expired, revoked or blacklisted token; or (login) wrong credentials.")


class TokenView(APIView):
    """Public POST endpoints that answer bad tokens with 401 (like SimpleJWT's views)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get_authenticate_header(self, request):
        # Without a WWW-Authenticate value DRF would turn every 401 into a 403.
        return f'{AUTH_HEADER_TYPES[0]} realm="api"'


class GetTokensView(TokenView):
    """POST {username | email | phone, password} -> {access, refresh}."""

    # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: "login" per client address, and
    # "login_account" failures per identifier, whatever the address -> 429.
    throttle_classes = (OneAtATimeThrottle, FailedLoginThrottle)
    throttle_scope = "login"
    account_throttle_scope = "login_account"

    @extend_schema(request=LoginSerializer, responses={200: TOKEN_PAIR, 401: BAD_TOKEN})
    def post(self, request):
        serializer = LoginSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except (exceptions.ValidationError, exceptions.AuthenticationFailed) as error:
            detail = error.detail if isinstance(error.detail, dict) else {"detail": error.detail}
            signals.jwt_login_fail.send(sender=signals.LOGIN_SENDER, request=request._request, error=json.dumps(detail))
            raise
        user = serializer.validated_data["user"]
        self.refund_account_throttle(request)  # only failed logins count per identifier
        refresh, access = services.issue_login_tokens(user)
        services.send_login_signals(request._request, user, refresh, access)
        return Response({"access": str(access), "refresh": str(refresh)})

    def refund_account_throttle(self, request):
        for throttle in self.get_throttles():
            if isinstance(throttle, FailedLoginThrottle):
                throttle.refund(request, self)


class RefreshAccessView(TokenView):
    """POST {refresh} -> {access, refresh}: a new access token AND a new refresh token."""

    @extend_schema(request=RefreshSerializer, responses={200: TOKEN_PAIR, 401: BAD_TOKEN})
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh, access = serializer.validated_data["refresh"], serializer.validated_data["access"]
        claims = {"refresh_claims": services.claims_of(refresh), "access_claims": services.claims_of(access)}
        signals.jwt_access_refreshed.send(sender=signals.REFRESH_ACCESS_SENDER, request=request._request, **claims)
        signals.jwt_refresh_updated.send(sender=signals.UPDATE_REFRESH_SENDER, request=request._request, **claims)
        return Response({"access": str(access), "refresh": str(refresh)})


class ValidateTokensView(TokenView):
    """POST {token} -> 200 {} or 401."""

    @extend_schema(request=VerifySerializer, responses={200: EMPTY, 401: BAD_TOKEN})
    def post(self, request):
        VerifySerializer(data=request.data).is_valid(raise_exception=True)
        signals.jwt_token_validated.send(sender=signals.VALIDATE_SENDER, request=request._request)
        return Response({})


class BlackListTokenView(TokenView):
    """POST {refresh} -> 200 {} (logout); the same refresh again -> 401."""

    @extend_schema(request=BlacklistSerializer, responses={200: EMPTY, 401: BAD_TOKEN})
    def post(self, request):
        serializer = BlacklistSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signals.jwt_blacklisted.send(
            sender=signals.BLACKLIST_SENDER, request=request._request, jti=serializer.validated_data["jti"]
        )
        return Response({})
