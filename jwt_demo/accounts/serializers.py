from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .limits import PASSWORD_MAX_LENGTH, PHONE_MAX_LENGTH
from .models import EMAIL_MAX_LENGTH, normalize_email_address
from .phone import normalize_phone

User = get_user_model()


def Password():  # noqa: N802 - a field factory, read like a field class
    """A password as typed: never trimmed, never echoed, bounded (hashing is slow by design)."""
    return serializers.CharField(write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH)


def check_password_strength(password, user, field):
    """Django's AUTH_PASSWORD_VALIDATORS, reported under ``field``."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as error:
        raise serializers.ValidationError({field: list(error.messages)}) from error


def canonical_email(value):
    """The stored spelling of an address (accounts.models.normalize_email_address), or a 400."""
    try:
        email = normalize_email_address(value)
    except ValueError as error:
        raise serializers.ValidationError(str(error)) from error
    if len(email) > EMAIL_MAX_LENGTH:  # lower-casing can lengthen: "İ" becomes "i" + a dot above
        raise serializers.ValidationError(f"Ensure this field has no more than {EMAIL_MAX_LENGTH} characters.")
    return email


def unique_email(value, instance=None):
    email = canonical_email(value)
    taken = User.objects.filter(email=email)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise serializers.ValidationError(_("A user with that email already exists."))
    return email


def unique_phone(value, instance=None):
    """E.164 or None (blank means "no phone")."""
    if not value:
        return None
    try:
        phone = normalize_phone(value)
    except ValueError as error:
        raise serializers.ValidationError(str(error)) from error
    taken = User.objects.filter(phone=phone)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise serializers.ValidationError(_("A user with that phone number already exists."))
    return phone


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "email", "phone")
        read_only_fields = fields


class SignupSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default=None, max_length=PHONE_MAX_LENGTH
    )
    password = Password()

    def validate_username(self, value):
        # NFKC, as create_user stores it ("ａlice" is "alice"): checked in another spelling,
        # a taken name would pass here and fail the unique index (an IntegrityError). In any
        # case, as Django's UserCreationForm checks: "Alice" is taken when "alice" is.
        value = User.normalize_username(value)
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(_("A user with that username already exists."))
        return value

    def validate_email(self, value):
        return unique_email(value)

    def validate_phone(self, value):
        return unique_phone(value)

    def validate(self, attrs):
        candidate = User(username=attrs["username"], email=attrs["email"])
        check_password_strength(attrs["password"], candidate, "password")
        return attrs

    def create(self, validated_data):
        return User.objects.create_user(**validated_data)


class CurrentPasswordMixin:
    """``password`` must be the requesting user's current password."""

    def validate_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError(_("Wrong password."))
        return value


class PasswordChangeSerializer(serializers.Serializer):
    old_password = Password()
    new_password = Password()

    def validate_old_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError(_("Wrong password."))
        return value

    def validate(self, attrs):
        check_password_strength(attrs["new_password"], self.context["request"].user, "new_password")
        return attrs


class PasswordForgotSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)

    def validate_email(self, value):
        return canonical_email(value)  # an address that cannot be mailed: 400, not a 500 in send_mail


class PasswordResetSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = Password()

    default_error_messages = {"invalid_link": _("Invalid or expired reset link.")}

    def validate(self, attrs):
        # One answer for every bad link: an unknown uid, an inactive user and a wrong token
        # must look the same, or the form tells which user ids exist.
        user = user_of_reset_link(attrs["uid"], attrs["token"])
        if user is None:
            raise serializers.ValidationError({"token": [self.error_messages["invalid_link"]]})
        check_password_strength(attrs["new_password"], user, "new_password")
        attrs["user"] = user
        return attrs


def user_of_reset_link(uid, token, *, lock=False):
    """The active user a reset link (uid + token) was made for, or None.

    The token hashes the password hash and last_login (Django's default_token_generator),
    so it stops working once used. ``lock=True`` (inside a transaction) reads the row FOR
    UPDATE: of two resets racing with the same link, the second sees the new hash.
    """
    try:
        pk = force_str(urlsafe_base64_decode(uid))
        users = User.objects.select_for_update() if lock else User.objects
        user = users.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None


class ContactChangeSerializer(CurrentPasswordMixin, serializers.Serializer):
    """``{<field>, password}``. Whether the new value is taken is checked only once the
    password is right (``validate`` runs after every field passed): with a stolen access
    token alone, nobody learns which addresses or numbers have accounts."""

    field = None  # "email" or "phone"
    password = Password()

    def validate(self, attrs):
        unique = {"email": unique_email, "phone": unique_phone}[self.field]
        try:
            attrs[self.field] = unique(attrs[self.field], instance=self.context["request"].user)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.field: error.detail}) from error
        return attrs


class EmailChangeSerializer(ContactChangeSerializer):
    field = "email"
    email = serializers.EmailField(max_length=254)


class PhoneChangeSerializer(ContactChangeSerializer):
    field = "phone"
    # blank/null removes it
    phone = serializers.CharField(allow_blank=True, allow_null=True, max_length=PHONE_MAX_LENGTH)
