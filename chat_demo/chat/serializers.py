from rest_framework import serializers

from .models import Message


class MessageSerializer(serializers.ModelSerializer):
    """The same fields as a WebSocket frame (Message.as_frame)."""

    message = serializers.CharField(source="text")
    user = serializers.CharField(source="user.username")

    class Meta:
        model = Message
        fields = ["id", "seq", "message", "user", "sent_at"]


class HistoryQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="Before this seq.")
    after = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1, help_text="After this seq.")

    def validate(self, attrs):
        if "before" in attrs and "after" in attrs:
            raise serializers.ValidationError("Give before or after, not both.")
        return attrs


class HistoryPageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True, help_text="Oldest first: the newest message is last.")
    previous = serializers.URLField(allow_null=True, help_text="The page of older messages, if any.")
    next = serializers.URLField(allow_null=True, help_text="The page of newer messages, if any (with after=).")
