from django.contrib.auth import authenticate, login, logout
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .serializers import LoginSerializer
from .throttling import LoginRateThrottle


@extend_schema(
    request=LoginSerializer,
    responses={
        200: OpenApiResponse(
            inline_serializer("LoginResponse", {"username": serializers.CharField()}),
            description="Logged in: the response sets the session cookie.",
        ),
    },
)
@api_view(["POST"])
@authentication_classes([])  # the caller is not logged in yet: no session, no CSRF check
@permission_classes([AllowAny])
@throttle_classes([LoginRateThrottle])  # too many attempts from one client: 429
def login_view(request):
    """Session login. authenticate() sends user_login_failed; login() sends user_logged_in."""
    serializer = LoginSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(request._request, **serializer.validated_data)
    if user is None:
        return Response({"non_field_errors": ["Invalid username or password."]}, status=status.HTTP_400_BAD_REQUEST)
    login(request._request, user)
    return Response({"username": user.get_username()})


class LogoutSessionAuthentication(SessionAuthentication):
    """The session user, without DRF's CSRF check: for logout only.

    Logout is CSRF-exempt on purpose: a forged logout can only sign the visitor out, and
    it keeps `curl -X POST` simple. Everything that changes data keeps CSRF.
    """

    def enforce_csrf(self, request):
        return


class LogoutSessionScheme(SessionScheme):
    """Tells drf-spectacular that this is the session cookie too (minus the CSRF check)."""

    target_class = LogoutSessionAuthentication
    name = "cookieAuthNoCsrf"


@extend_schema(request=None, responses={204: OpenApiResponse(description="Logged out (also when nobody was).")})
@api_view(["POST"])
@authentication_classes([LogoutSessionAuthentication])
@permission_classes([AllowAny])
def logout_view(request):
    # DRF put the session user on the Django request too: logout() sees who is leaving.
    logout(request._request)  # sends user_logged_out (user=None when nobody was logged in)
    return Response(status=status.HTTP_204_NO_CONTENT)
