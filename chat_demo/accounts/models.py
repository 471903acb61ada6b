from django.conf import settings
from django.db import models


class ConnectionTicket(models.Model):
    """One WebSocket connection for a client that has no session cookie (accounts/tickets.py).

    Only a hash of the ticket is stored: a copy of this table opens no connection.
    """

    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256, hex
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"ticket of {self.user} at {self.created_at:%H:%M:%S}"
