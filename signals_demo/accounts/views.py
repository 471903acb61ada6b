from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.plumbing.openapi import error
from config.plumbing.throttling import AccountThrottle

from .serializers import LoginSerializer


class LoginCsrfCheck(SessionAuthentication):
    """DRF's session CSRF check, for a caller who is not logged in yet.

    SessionAuthentication checks CSRF only once it finds a session user; at login there is
    none, so a page on another site could POST the attacker's username and password and log
    the victim's browser into the attacker's account (login CSRF: whatever the victim then
    does is recorded in an account the attacker can read). This check always runs.
    """

    def authenticate(self, request):
        self.enforce_csrf(request)  # unsafe methods without a matching token: 403
        return None  # nobody is authenticated by this class


class LoginCsrfScheme(SessionScheme):
    """Tells drf-spectacular that login needs the CSRF cookie and the X-CSRFToken header."""

    target_class = LoginCsrfCheck
    name = "csrfToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-CSRFToken"}


class LoginView(APIView):
    """GET: the CSRF cookie that POST needs. POST: session login; authenticate() sends
    user_login_failed, login() sends user_logged_in."""

    authentication_classes = [LoginCsrfCheck]  # nobody is logged in yet, but CSRF is checked
    permission_classes = [AllowAny]
    throttle_scope = "login"  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]

    def get_throttles(self):
        # Only a POST checks a password (too many from one client: 429); a GET is not counted.
        return [AccountThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(
                inline_serializer("CsrfTokenResponse", {"csrftoken": serializers.CharField()}),
                description="Sets the csrftoken cookie: send its value back in the X-CSRFToken header.",
            )
        },
    )
    def get(self, request):
        return Response({"csrftoken": get_token(request._request)})  # get_token() sets the cookie

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: OpenApiResponse(
                inline_serializer("LoginResponse", {"username": serializers.CharField()}),
                description="Logged in: sets the session cookie and a new csrftoken cookie.",
            ),
            403: error("CSRF failed: GET this URL first, then send the cookie and X-CSRFToken."),
        },
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            body = {"non_field_errors": ["Invalid username or password."]}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        login(request._request, user)  # also rotates the CSRF token
        return Response({"username": user.get_username()})


login_view = LoginView.as_view()


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
