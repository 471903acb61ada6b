import unicodedata

from auditlog.models import LogEntry
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import PasswordField, TokenObtainPairSerializer, TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from audit.serializers import HistoryLimitSerializer, LogEntrySerializer, newest_entries
from config.plumbing.openapi import VALIDATION_ERROR

from .models import User
from .throttling import ClientIPThrottle

# Every input is bounded, and the bound is maxLength in the OpenAPI schema: a password is
# hashed whatever its size. A refresh token here is about 300 characters.
PASSWORD_MAX_LENGTH = 128
TOKEN_MAX_LENGTH = 2048


class UsernameField(serializers.CharField):
    """A username as Django's own login form reads it (django.contrib.auth.forms.UsernameField):
    NFKC-normalised, so "ａｎｎ" (fullwidth) logs in here as it does in the admin, as the
    "ann" that user creation stored. SimpleJWT's serializer passes it on unchanged."""

    def to_internal_value(self, data):
        return unicodedata.normalize("NFKC", super().to_internal_value(data))


class LoginSerializer(TokenObtainPairSerializer):
    """SimpleJWT's login serializer with bounded fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_username = User._meta.get_field(self.username_field).max_length
        self.fields[self.username_field] = UsernameField(write_only=True, max_length=max_username)
        self.fields["password"] = PasswordField(max_length=PASSWORD_MAX_LENGTH)


class LoginView(TokenObtainPairView):
    """POST /api/token/: SimpleJWT's login, throttled per client address (429)."""

    serializer_class = LoginSerializer
    throttle_classes = [ClientIPThrottle]
    throttle_scope = "login"


class RefreshSerializer(TokenRefreshSerializer):
    """SimpleJWT's refresh, refusing (401) what stock SimpleJWT 5.5 lets through.

    - A deleted user's token: the stock serializer looks the user up with .get() and
      lets DoesNotExist escape, a 500. A deactivated user it already refuses.
    - A token issued before the user's password changed (in the admin, a shell, a
      reset): the stock serializer never compares the token's ``hash_password`` claim
      (CHECK_REVOKE_TOKEN) with the user's current password, so a stolen refresh token
      would outlive the password change that was meant to end it. JWTAuthentication
      does compare it for access tokens; this does the same for refresh.
    """

    refresh = serializers.CharField(max_length=TOKEN_MAX_LENGTH)

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])  # TokenError (401) when invalid or expired
        user_id = refresh.payload.get(api_settings.USER_ID_CLAIM)
        user = User.objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
        if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
            raise AuthenticationFailed("No active account found for this token.", code="no_active_account")
        if refresh.payload.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
            # A token without the claim (issued before CHECK_REVOKE_TOKEN) is refused too.
            raise AuthenticationFailed("The user's password has been changed.", code="password_changed")
        return super().validate(attrs)


class RefreshView(TokenRefreshView):
    """POST /api/token/refresh/."""

    serializer_class = RefreshSerializer


@extend_schema_view(
    get=extend_schema(
        parameters=[HistoryLimitSerializer], responses={200: LogEntrySerializer(many=True), 400: VALIDATION_ERROR}
    )
)
class UserHistoryView(generics.ListAPIView):
    """GET /api/users/<id>/history/?limit=100: staff only, newest first.

    Entries outlive the user (AuditlogHistoryField keeps them on delete), so a deleted
    user's history is still listed; an id that never had an entry is a 404.
    """

    permission_classes = [permissions.IsAdminUser]
    serializer_class = LogEntrySerializer
    pagination_class = None

    def get_queryset(self):
        entries = (
            LogEntry.objects.get_for_model(User)
            .filter(object_id=self.kwargs["pk"])
            .select_related("actor")
            .order_by("-timestamp", "-pk")
        )
        if not entries.exists() and not User.objects.filter(pk=self.kwargs["pk"]).exists():
            raise Http404
        return newest_entries(entries, self.request)
