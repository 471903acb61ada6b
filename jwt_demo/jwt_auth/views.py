"""The token endpoints. Each view sends djwto's signal with djwto's sender string."""

import json

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import AUTH_HEADER_TYPES

from config.openapi import error

from . import signals
from .serializers import BlacklistSerializer, LoginSerializer, RefreshSerializer, VerifySerializer
from .tokens import DemoRefreshToken

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

    # ScopedRateThrottle: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"] per client IP -> 429.
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "login"

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
        refresh = DemoRefreshToken.for_user(user)
        access = refresh.access_token
        # SimpleJWT never sends Django's user_logged_in: send it, so its receivers run
        # (Django's own update_last_login, audit logs, ...) exactly as for a session login.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        signals.jwt_logged_in.send(
            sender=signals.LOGIN_SENDER,
            request=request._request,
            refresh_claims=dict(refresh.payload),
            access_claims=dict(access.payload),
        )
        return Response({"access": str(access), "refresh": str(refresh)})


class RefreshAccessView(TokenView):
    """POST {refresh} -> {access, refresh}: a new access token AND a new refresh token."""

    @extend_schema(request=RefreshSerializer, responses={200: TOKEN_PAIR, 401: BAD_TOKEN})
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refresh, access = serializer.validated_data["refresh"], serializer.validated_data["access"]
        claims = {"refresh_claims": dict(refresh.payload), "access_claims": dict(access.payload)}
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
