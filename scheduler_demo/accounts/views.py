from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.authtoken.views import ObtainAuthToken

from contacts.parsers import BodySizeLimit

from .serializers import SignupSerializer, TokenRequestSerializer
from .throttling import LoginRateThrottle, SignupRateThrottle


class SignupView(BodySizeLimit, generics.CreateAPIView):
    """``POST /api/auth/signup/`` {username, password, email?, phone?} -> 201 (no token).

    The token comes from ``POST /api/auth/token/``: one endpoint issues credentials.
    """

    serializer_class = SignupSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [SignupRateThrottle]

    @transaction.atomic  # the user and the contacts its post_save marks: all or nothing
    def perform_create(self, serializer):
        serializer.save()


class TokenView(BodySizeLimit, ObtainAuthToken):
    """``POST /api/auth/token/`` {username, password} -> 200 {token}; wrong ones -> 400.

    DRF's ``obtain_auth_token`` (the user's one token, created on first use), but deaf
    to ``Authorization`` headers: a client still sending a deleted token must be able
    to log in again, not get 401 "Invalid token." from the page that issues tokens.
    """

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginRateThrottle]  # password guessing: 429 after LOGIN_THROTTLE_RATE
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
