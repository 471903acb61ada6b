from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import normalize_email_address
from .phone import normalize_phone

User = get_user_model()


def check_password_strength(password, user, field):
    """Django's AUTH_PASSWORD_VALIDATORS, reported under ``field``."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as error:
        raise serializers.ValidationError({field: list(error.messages)}) from error


def unique_email(value, instance=None):
    email = normalize_email_address(value)
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
    email = serializers.EmailField()
    phone = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    password = serializers.CharField(write_only=True, trim_whitespace=False)

    def validate_username(self, value):
        if User.objects.filter(username=value).exists():
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
    old_password = serializers.CharField(write_only=True, trim_whitespace=False)
    new_password = serializers.CharField(write_only=True, trim_whitespace=False)

    def validate_old_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError(_("Wrong password."))
        return value

    def validate(self, attrs):
        check_password_strength(attrs["new_password"], self.context["request"].user, "new_password")
        return attrs


class PasswordForgotSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordResetSerializer(serializers.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = serializers.CharField(write_only=True, trim_whitespace=False)

    def validate(self, attrs):
        try:
            pk = force_str(urlsafe_base64_decode(attrs["uid"]))
            user = User.objects.get(pk=pk, is_active=True)
        except (ValueError, TypeError, OverflowError, User.DoesNotExist) as error:
            raise serializers.ValidationError({"uid": [_("Invalid reset link.")]}) from error
        # The token hashes the password hash and last_login: a used token is invalid.
        if not default_token_generator.check_token(user, attrs["token"]):
            raise serializers.ValidationError({"token": [_("Invalid or expired reset link.")]})
        check_password_strength(attrs["new_password"], user, "new_password")
        attrs["user"] = user
        return attrs


class EmailChangeSerializer(CurrentPasswordMixin, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)

    def validate_email(self, value):
        return unique_email(value, instance=self.context["request"].user)


class PhoneChangeSerializer(CurrentPasswordMixin, serializers.Serializer):
    phone = serializers.CharField(allow_blank=True, allow_null=True)  # blank/null removes it
    password = serializers.CharField(write_only=True, trim_whitespace=False)

    def validate_phone(self, value):
        return unique_phone(value, instance=self.context["request"].user)
