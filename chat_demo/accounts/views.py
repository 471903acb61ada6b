from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.views import LoginView
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
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


class ThrottledLoginView(LoginView):
    """Django's login page, counted by the same throttle as the ticket endpoint.

    The form checks the same passwords as POST /api/auth/ticket/: without a throttle of its
    own, a guesser would simply use it instead. Over the rate: the form again, with a 429.
    """

    throttle_scope = "login"  # AccountThrottle reads the rate of this scope

    def post(self, request, *args, **kwargs):
        throttle = AccountThrottle()
        if throttle.allow_request(Request(request), self):
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        wait = int(throttle.wait() or 1)
        form.add_error(None, f"Too many attempts from this address. Try again in {wait} seconds.")
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(wait)
        return response


login_view = ThrottledLoginView.as_view()
