from django.db import transaction
from rest_framework import generics, permissions

from .serializers import SignupSerializer


class SignupView(generics.CreateAPIView):
    """``POST /api/auth/signup/`` {username, password, email?, phone?} -> 201 (no token).

    The token comes from ``POST /api/auth/token/``: one endpoint issues credentials.
    """

    serializer_class = SignupSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @transaction.atomic  # the user and the contacts its post_save marks: all or nothing
    def perform_create(self, serializer):
        serializer.save()
