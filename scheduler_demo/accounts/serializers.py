from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from contacts.phones import InvalidPhone, normalize_phone

User = get_user_model()


# Bounds of what a client may type (maxLength in the schema). A password manager's
# longest passphrases fit; hashing megabytes of "password" per request does not.
PASSWORD_MAX_LENGTH = 256
# A phone as typed, before normalization: "+44 (0) 20 7946 0958" and the like.
PHONE_INPUT_MAX_LENGTH = 32


@extend_schema_field({"type": "string", "maxLength": 254, "description": "An email address, or empty."})
class OptionalEmailField(serializers.CharField):
    """An email or "". (drf-spectacular describes an optional EmailField as oneOf an email
    and an empty string, where a schema checker finds no maxLength.)"""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, max_length=254, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip().lower()
        if value:
            try:
                EmailValidator()(value)
            except DjangoValidationError:
                raise serializers.ValidationError("Enter a valid email address.") from None
        return value


class SignupSerializer(serializers.ModelSerializer):
    email = OptionalEmailField()
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH, style={"input_type": "password"}
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=PHONE_INPUT_MAX_LENGTH)

    class Meta:
        model = User
        fields = ["id", "username", "password", "email", "phone", "email_verified"]
        read_only_fields = ["id", "email_verified"]

    # No "a user with that email already exists": that answer tells anyone who has an
    # account here. A taken address gets the same 201; its owner gets a warning by email.

    def validate_phone(self, value):
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except InvalidPhone as error:
            raise serializers.ValidationError(str(error)) from None

    def validate(self, attrs):
        candidate = User(username=attrs.get("username"), email=attrs.get("email", ""))
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs

    def create(self, validated_data):
        # create_user hashes the password; its post_save reaches contacts.receivers.
        return User.objects.create_user(**validated_data)


class TokenRequestSerializer(AuthTokenSerializer):
    """DRF's AuthTokenSerializer with bounded fields (maxLength in the schema)."""

    username = serializers.CharField(label="Username", max_length=150, write_only=True)
    password = serializers.CharField(
        label="Password",
        max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


class VerifyEmailSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=512, help_text="The code mailed to the address at sign-up.")
