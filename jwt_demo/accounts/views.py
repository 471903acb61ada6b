"""The account API: sign-up, me, password change / forgot / reset, email and phone."""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from jwt_auth.authentication import ClaimsUser, user_row
from jwt_auth.services import issue_login_tokens, logout_everywhere, send_login_signals
from jwt_auth.throttling import IdentifierThrottle, OneAtATimeThrottle

from . import serializers

User = get_user_model()
logger = logging.getLogger("jwt_demo.accounts")

# The bodies these views build by hand, named for the OpenAPI schema (/api/schema/).
SIGNUP_RESPONSE = inline_serializer(
    "SignupResponse",
    {
        "user": serializers.UserSerializer(),
        "access": drf_serializers.CharField(),
        "refresh": drf_serializers.CharField(),
    },
)
DETAIL_RESPONSE = inline_serializer("DetailResponse", {"detail": drf_serializers.CharField()})


class ThrottledView(APIView):
    """Checks a password or tells whether an account exists: throttled (429, Retry-After).

    Anonymous callers are counted per client address, authenticated ones per user (a
    stolen access token must not allow unlimited guesses at the current password).
    """

    throttle_classes = (OneAtATimeThrottle,)
    throttle_scope = "password"


class SignupView(ThrottledView):
    """POST {username, email, phone?, password} -> 201 {user, access, refresh}: a login."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_scope = "signup"  # its 400s tell whether a username, email or phone is taken

    @extend_schema(request=serializers.SignupSerializer, responses={201: SIGNUP_RESPONSE})
    def post(self, request):
        serializer = serializers.SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():  # the user and its first token: both or neither
                user = serializer.save()
                refresh, access = issue_login_tokens(user)
        except IntegrityError:
            # A concurrent sign-up took the name/email/phone after our checks: validating
            # again now names the taken field (400) instead of a 500.
            serializers.SignupSerializer(data=request.data).is_valid(raise_exception=True)
            raise
        # It hands out a token pair, so it is a login: the same signals as POST /api/token/
        # (Django's update_last_login sets last_login).
        send_login_signals(request._request, user, refresh, access)
        body = {"user": serializers.UserSerializer(user).data, "access": str(access), "refresh": str(refresh)}
        return Response(body, status=status.HTTP_201_CREATED)


class AccountView(APIView):
    """An endpoint about the account itself: it needs the user's row (email, phone, password),
    not only the id the token carries. Loaded here, once authentication, permissions and
    throttles have passed: one query, on these endpoints only (a 401 if the user is gone,
    inactive, or the password is no longer the token's). Every other view gets the token's
    user (jwt_auth.authentication.ClaimsUser) and costs no query."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if isinstance(request.user, ClaimsUser):  # another authentication class may give a row already
            request.user = user_row(request.auth)


class MeView(AccountView):
    @extend_schema(responses=serializers.UserSerializer)
    def get(self, request):
        return Response(serializers.UserSerializer(request.user).data)


class PasswordChangeView(AccountView, ThrottledView):
    """POST {old_password, new_password} -> 204; every refresh token of the user is blacklisted."""

    @extend_schema(
        request=serializers.PasswordChangeSerializer,
        responses={204: OpenApiResponse(description="Changed; every refresh token of the user is blacklisted.")},
    )
    def post(self, request):
        serializer = serializers.PasswordChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            # Checked again on the locked row: of two changes racing with the same old
            # password, the second sees the first one's new hash and gets a 400.
            user = User.objects.select_for_update().get(pk=request.user.pk)
            if not user.check_password(serializer.validated_data["old_password"]):
                raise drf_serializers.ValidationError({"old_password": ["Wrong password."]})
            user.set_password(serializer.validated_data["new_password"])
            user.save(update_fields=["password"])
            logout_everywhere(user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordForgotView(ThrottledView):
    """POST {email} -> 202, always: the answer never tells whether the account exists."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    # Each request mails the account's owner: counted per mailbox too, so that many
    # client addresses cannot flood one inbox ("forgot_account", any spelling of it).
    throttle_classes = (OneAtATimeThrottle, IdentifierThrottle)
    account_throttle_scope = "forgot_account"

    @extend_schema(request=serializers.PasswordForgotSerializer, responses={202: DETAIL_RESPONSE})
    def post(self, request):
        serializer = serializers.PasswordForgotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]  # already in its stored spelling
        user = User.objects.filter(email=email, is_active=True).first()
        if user is not None and user.has_usable_password():
            send_reset_link(user)
        detail = "If an account uses this address, we have sent it a reset link."
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


def send_reset_link(user):
    """Mail ``user`` a one-time link (default_token_generator), never a new password: the
    password changes only when its owner follows the link.

    A mailer failure is logged (the user id and the error; never the link) and otherwise
    swallowed: a 500 that only real accounts' addresses can cause would tell which exist.
    """
    query = urlencode(
        {"uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    )
    try:
        send_mail(
            subject="Reset your password",
            message=(
                f"Someone asked to reset the password of {user.username}.\n"
                f"If it was you, open {settings.PASSWORD_RESET_URL}?{query}\n"
                "Otherwise ignore this e-mail: nothing has changed."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except (smtplib.SMTPException, OSError) as error:  # OSError: connection refused, DNS, timeout
        logger.error("reset e-mail for user id %s not sent: %s", user.pk, type(error).__name__)


class PasswordResetView(ThrottledView):
    """POST {uid, token, new_password} -> 204; a used, wrong or unknown link -> 400, one answer."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        request=serializers.PasswordResetSerializer,
        responses={204: OpenApiResponse(description="The password is set; every refresh token is blacklisted.")},
    )
    def post(self, request):
        serializer = serializers.PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            # The link again, on the locked row: two resets racing with one link, one wins.
            user = serializers.user_of_reset_link(data["uid"], data["token"], lock=True)
            if user is None:
                raise drf_serializers.ValidationError({"token": [serializer.error_messages["invalid_link"]]})
            user.set_password(serializer.validated_data["new_password"])
            user.save(update_fields=["password"])  # also invalidates the reset token
            logout_everywhere(user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailChangeView(AccountView, ThrottledView):
    """PATCH {email, password} -> 200 user."""

    @extend_schema(request=serializers.EmailChangeSerializer, responses=serializers.UserSerializer)
    def patch(self, request):
        serializer = serializers.EmailChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        request.user.email = serializer.validated_data["email"]
        return save_contact(request.user, "email")


class PhoneChangeView(AccountView, ThrottledView):
    """PATCH {phone, password} -> 200 user; an empty phone removes it."""

    @extend_schema(request=serializers.PhoneChangeSerializer, responses=serializers.UserSerializer)
    def patch(self, request):
        serializer = serializers.PhoneChangeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        request.user.phone = serializer.validated_data["phone"]
        return save_contact(request.user, "phone")


def save_contact(user, field):
    try:
        with transaction.atomic():
            user.save(update_fields=[field])
    except IntegrityError:  # taken by a concurrent request after our check
        return Response({field: [f"A user with that {field} already exists."]}, status=status.HTTP_400_BAD_REQUEST)
    return Response(serializers.UserSerializer(user).data)
