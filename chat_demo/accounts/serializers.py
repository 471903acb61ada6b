from rest_framework import serializers


class TicketRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TicketSerializer(serializers.Serializer):
    ticket = serializers.CharField(help_text="Connect to ws/chat/<room>/?ticket=<ticket> (or ws/notifications/).")
    expires_in = serializers.IntegerField(help_text="Seconds left to open the connection; it opens one only.")
