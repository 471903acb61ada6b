"""register / login / secure / logout, plus pitfall 2's fix (its trap is in pitfalls.py).

Every view is an APIView: DRF turns validation errors into 400 ``{"field": [...]}``
and authentication failures into 401 with ``WWW-Authenticate: Token``.
"""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.plumbing.parsers import JSONParser
from config.plumbing.throttling import AccountThrottle

from .authentication import ExpiringTokenAuthentication, token_expired
from .serializers import LoginSerializer, RegisterSerializer

# The bodies these views build by hand, named for the OpenAPI schema (/api/schema/).
REGISTER_RESPONSE = inline_serializer(
    "RegisterResponse",
    {"response": serializers.CharField(), "username": serializers.CharField(), "token": serializers.CharField()},
)
TOKEN_RESPONSE = inline_serializer("TokenResponse", {"token": serializers.CharField()})
SECURE_RESPONSE = inline_serializer("SecureResponse", {"message": serializers.CharField()})


class RegisterView(APIView):
    """POST {username, password, email?} -> 201 {response, username, token}; too many -> 429.

    "That username is taken" is the answer a sign-up form owes its users, so every
    sign-up endpoint tells whether an account exists. What bounds that is the throttle:
    a few sign-ups per client address per hour (``SIGNUP_THROTTLE_RATE``).
    """

    # Public, and deaf to Authorization headers: a stale token must not block sign-up.
    authentication_classes = []
    permission_classes = [AllowAny]
    # Sign-ups per client address (SIGNUP_THROTTLE_RATE): each answer tells whether a
    # username is taken, so the throttle bounds how many names one client can test.
    throttle_classes = [AccountThrottle]
    throttle_scope = "signup"
    # The plumbing's parsers, plus multipart: the token-auth tutorial's clients post its
    # sign-up form as form-data. No field here is a file: a file part would be parsed like
    # any upload (spooled to disk past 2.5 MB), then ignored; the other views take none.
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]

    @extend_schema(request=RegisterSerializer, responses={201: REGISTER_RESPONSE})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)  # data=: the token-auth tutorial forgot it
        serializer.is_valid(raise_exception=True)  # 400 {"field": [...]}, not data.error
        user = serializer.save()
        # The post_save receiver created the token; this response is the only place
        # besides login that ever shows the key.
        return Response(
            {"response": "User created successfully", "username": user.username, "token": user.auth_token.key},
            status=status.HTTP_201_CREATED,
        )


def refuse_if_the_password_changed_meanwhile(user):
    """400, as for a wrong password, when the user's stored hash is no longer the one the
    password was just checked against.

    Checking a password is slow by design (a few hundred ms of hashing). A password change
    that commits meanwhile deletes the user's tokens (pitfall 4's receivers); a token
    created after that, for the old password, would outlive the change. Locking the row
    (select_for_update; on SQLite the IMMEDIATE transaction) orders this check against a
    concurrent change.
    """
    unchanged = type(user)._default_manager.select_for_update().filter(pk=user.pk, password=user.password)
    if not unchanged.exists():
        raise serializers.ValidationError(
            {"non_field_errors": ["Unable to log in with provided credentials."]}, code="authorization"
        )


class LoginView(APIView):
    """POST {username, password} -> 200 {token}; bad credentials -> 400; too many -> 429."""

    authentication_classes = []  # a stale token in the client must not block logging in
    permission_classes = [AllowAny]
    # Attempts (good or bad) per client address, whatever the username (LOGIN_THROTTLE_RATE).
    throttle_classes = [AccountThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginSerializer, responses={200: TOKEN_RESPONSE})
    def post(self, request):
        serializer = LoginSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        with transaction.atomic():
            refuse_if_the_password_changed_meanwhile(user)
            # DRF's obtain_auth_token: the user's one token, created if logged out.
            token, _created = Token.objects.select_for_update().get_or_create(user=user)
            if token_expired(token):  # pitfall 1's fix: an expired key is replaced
                token.delete()
                token = Token.objects.create(user=user)
        return Response({"token": token.key})


class SecureView(APIView):
    """GET or POST with ``Authorization: Token <key>`` -> 200 {message}; else 401."""

    # Uses the project defaults: ExpiringTokenAuthentication + IsAuthenticated.

    @extend_schema(responses={200: SECURE_RESPONSE})
    def get(self, request):
        return Response({"message": f"Hello {request.user.username}, your token opened the secure page."})

    @extend_schema(request=None, responses={200: SECURE_RESPONSE})
    def post(self, request):
        return self.get(request)


class LogoutView(APIView):
    """POST with a token -> 204; the token is deleted, so the key is dead everywhere."""

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Logged out: the token is deleted.")})
    def post(self, request):
        # request.auth is the Token the key matched. Two logouts at once both get this
        # far; the DELETE decides: the one that removed the row answers 204, the other
        # found nothing to remove and gets the 401 its dead key deserves.
        deleted, _ = Token.objects.filter(pk=request.auth.pk).delete()
        if not deleted:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenFirstSecureView(SecureView):
    """Pitfall 2, the fix: token first, then session -> 401 + WWW-Authenticate.

    The trap, the same two classes the other way round, is ``pitfalls.SessionFirstSecureView``.
    """

    authentication_classes = [ExpiringTokenAuthentication, SessionAuthentication]
