from auditlog.models import LogEntry
from django.http import Http404
from rest_framework import generics, permissions
from rest_framework_simplejwt.views import TokenObtainPairView

from audit.serializers import LogEntrySerializer

from .models import User
from .throttling import LoginRateThrottle


class LoginView(TokenObtainPairView):
    """POST /api/token/: SimpleJWT's login, throttled per client address (429)."""

    throttle_classes = [LoginRateThrottle]


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
