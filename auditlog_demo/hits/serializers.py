from rest_framework import serializers

from .models import ApiHit


class ApiHitSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

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
