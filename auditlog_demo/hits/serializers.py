from rest_framework import serializers

from .models import ApiHit


class ApiHitSerializer(serializers.ModelSerializer):
    # null for anonymous requests (found by the fuzzer: the schema promised a string).
    user = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Who sent the request; null if anonymous."
    )

    class Meta:
        model = ApiHit
        fields = [
            "id",
            "timestamp",
            "method",
            "path",
            "status_code",
            "user",
            "ip",
            "browser",
            "os",
            "device",
            "duration_ms",
        ]
