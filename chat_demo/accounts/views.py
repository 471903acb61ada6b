from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.plumbing.throttling import AccountThrottle

from .serializers import TicketRequestSerializer, TicketSerializer
from .tickets import issue_ticket


class TicketView(APIView):
    """A one-connection ticket for a WebSocket client that has no session cookie."""

    authentication_classes = []  # credentials in the body, no cookie: no CSRF to check
    permission_classes = [AllowAny]
    throttle_classes = [AccountThrottle]
    throttle_scope = "login"  # REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]

    @extend_schema(request=TicketRequestSerializer, responses={201: TicketSerializer})
    def post(self, request):
        serializer = TicketRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            body = {"non_field_errors": ["Invalid username or password."]}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body = {"ticket": issue_ticket(user=user), "expires_in": settings.CHAT_TICKET_MAX_AGE_S}
        return Response(body, status=status.HTTP_201_CREATED)


ticket_view = TicketView.as_view()
