from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from config.plumbing.throttling import AccountThrottle
from contacts.members import link_contacts_to
from contacts.parsers import BodySizeLimit

from .serializers import SignupSerializer, TokenRequestSerializer, VerifyEmailSerializer
from .verification import InvalidCode, address_taken, send_verification_email, user_for_code


class SignupView(BodySizeLimit, generics.CreateAPIView):
    """``POST /api/auth/signup/`` {username, password, email?, phone?} -> 201 (no token).

    The token comes from ``POST /api/auth/token/``: one endpoint issues credentials.
    """

    serializer_class = SignupSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [AccountThrottle]  # each one hashes a password and sends an email
    throttle_scope = "signup"

    @transaction.atomic  # the user and the contacts its post_save marks: all or nothing
    def perform_create(self, serializer):
        self.user = serializer.save()

    def create(self, request, *args, **kwargs):
        try:
            response = super().create(request, *args, **kwargs)
        except IntegrityError:
            # Two sign-ups raced for one username: both passed the serializer's uniqueness
            # check (a SELECT), and the database refused the second INSERT.
            raise ValidationError({"username": ["A user with that username already exists."]}) from None
        send_verification_email(self.user)  # after the commit: never for a rolled-back user
        return response


VERIFIED = inline_serializer(
    "EmailVerified", {"email": serializers.EmailField(), "linked_contacts": serializers.IntegerField()}
)


class VerifyEmailView(BodySizeLimit, generics.GenericAPIView):
    """``POST /api/auth/verify-email/`` {code} -> 200 {email, linked_contacts}: the address is
    proven, and the contacts holding it (anyone's) become "already member"."""

    serializer_class = VerifyEmailSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [AccountThrottle]  # each one hashes a password and sends an email
    throttle_scope = "signup"

    @extend_schema(responses=VERIFIED)
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            try:
                user = user_for_code(serializer.validated_data["code"])
            except InvalidCode as error:
                raise ValidationError({"code": [str(error)]}) from None
            user = type(user).objects.select_for_update().get(pk=user.pk)
            if address_taken(user):  # two sign-ups, one mailbox: the first to verify owns it
                raise ValidationError({"code": ["Another account has verified this address."]})
            user.email_verified = True
            user.save(update_fields=["email_verified"])
            linked = link_contacts_to(user)
        return Response({"email": user.email, "linked_contacts": linked})


class TokenView(BodySizeLimit, ObtainAuthToken):
    """``POST /api/auth/token/`` {username, password} -> 200 {token}; wrong ones -> 400.

    DRF's ``obtain_auth_token`` (the user's one token, created on first use), but deaf
    to ``Authorization`` headers: a client still sending a deleted token must be able
    to log in again, not get 401 "Invalid token." from the page that issues tokens.
    """

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AccountThrottle]  # password guessing: 429 after LOGIN_THROTTLE_RATE
    throttle_scope = "login"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
