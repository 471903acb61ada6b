from auditlog.models import LogEntry
from django.http import Http404
from rest_framework import generics, permissions
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from audit.serializers import LogEntrySerializer

from .models import User
from .throttling import LoginRateThrottle


class LoginView(TokenObtainPairView):
    """POST /api/token/: SimpleJWT's login, throttled per client address (429)."""

    throttle_classes = [LoginRateThrottle]


class RefreshSerializer(TokenRefreshSerializer):
    """SimpleJWT's refresh, with a deleted user's token refused (401) instead of a 500.

    The stock serializer (SimpleJWT 5.5) looks the token's user up with .get() and lets
    DoesNotExist escape; a deactivated user is already refused with 401.
    """

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except User.DoesNotExist as error:
            raise AuthenticationFailed("No active account found for this token.", code="no_active_account") from error


class RefreshView(TokenRefreshView):
    """POST /api/token/refresh/."""

    serializer_class = RefreshSerializer


class UserHistoryView(generics.ListAPIView):
    """GET /api/users/<id>/history/: staff only, newest first.

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
        return entries
