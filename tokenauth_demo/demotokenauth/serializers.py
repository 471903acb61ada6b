from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import serializers

User = get_user_model()


class RegisterSerializer(serializers.ModelSerializer):
    """Validates a sign-up and creates the user with a hashed password.

    The model's own validators come along: username required, unique, at most 150
    characters of letters, digits and @/./+/-/_; email optional but well-formed.
    """

    # write_only: the password never appears in a response. trim_whitespace=False:
    # spaces are part of a password.
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["username", "password", "email"]
        extra_kwargs = {"email": {"required": False}}

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
        try:
            # One transaction for the user, its token and its PersonalDetail (the
            # post_save receiver runs inside it): all three rows or none.
            with transaction.atomic():
                # create_user hashes the password (the seed stored it as typed).
                return User.objects.create_user(**validated_data)
        except IntegrityError as error:
            # Two sign-ups for the same name at once: the unique index decides.
            raise serializers.ValidationError({"username": ["A user with that username already exists."]}) from error
