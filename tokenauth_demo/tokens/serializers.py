import unicodedata

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

User = get_user_model()
# Every input is bounded (and the bound documented as maxLength in the OpenAPI schema):
# a password of a megabyte would still be hashed. 128 is more than any password manager makes.
PASSWORD_MAX_LENGTH = 128
USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length
EMAIL_MAX_LENGTH = 254  # RFC 5321's limit, and Django's EmailField default


class OptionalEmailField(serializers.EmailField):
    """An email address at most 254 characters long, or empty.

    With ``allow_blank=True`` drf-spectacular documents the field as ``oneOf [email, ""]``
    and the ``maxLength`` moves inside a branch, where schema readers miss it. Accepting
    "" here instead keeps the schema one bounded string.
    """

    def run_validation(self, data=serializers.empty):
        return "" if data == "" else super().run_validation(data)


class RegisterSerializer(serializers.ModelSerializer):
    """Validates a sign-up and creates the user with a hashed password.

    The model's own validators come along: username required, unique, at most 150
    characters of letters, digits and @/./+/-/_; email optional but well-formed.
    """

    # write_only: the password never appears in a response. trim_whitespace=False:
    # spaces are part of a password.
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"}
    )
    email = OptionalEmailField(required=False, max_length=EMAIL_MAX_LENGTH)

    class Meta:
        model = User
        fields = ["username", "password", "email"]

    def validate(self, attrs):
        # AUTH_PASSWORD_VALIDATORS, with an unsaved user so the similarity validator can
        # compare the password against the username and email.
        candidate = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs

    def create(self, validated_data):
        # What create_user does, with the slow part first: hashing the password takes a
        # good fraction of a second by design, and on SQLite doing it inside the
        # transaction would hold the one write lock all that time.
        user = User(
            username=User.normalize_username(validated_data["username"]),
            email=User.objects.normalize_email(validated_data.get("email", "")),
        )
        user.set_password(validated_data["password"])
        try:
            # One transaction for the user, its token and its PersonalDetail (the
            # post_save receiver runs inside it): all three rows or none.
            with transaction.atomic():
                user.save()
                return user
        except IntegrityError as error:
            # Two sign-ups for the same name at once: the unique index decides.
            raise serializers.ValidationError({"username": ["A user with that username already exists."]}) from error


class UsernameField(serializers.CharField):
    """A username as Django's own login form reads it (django.contrib.auth.forms.UsernameField):
    NFKC-normalised, so "ｒａｖｉ" (fullwidth) logs in as the "ravi" that sign-up stored.
    Sign-up normalises (User.normalize_username); DRF's AuthTokenSerializer does not."""

    def to_internal_value(self, data):
        return unicodedata.normalize("NFKC", super().to_internal_value(data))


class LoginSerializer(AuthTokenSerializer):
    """DRF's AuthTokenSerializer (authenticate(), inactive users refused) with bounded fields."""

    username = UsernameField(label="Username", write_only=True, max_length=USERNAME_MAX_LENGTH)
    password = serializers.CharField(
        label="Password",
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
    )
