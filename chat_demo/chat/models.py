from django.conf import settings
from django.db import models


class Message(models.Model):
    """One chat message, saved before anyone sees it (chat/services.py)."""

    room = models.CharField(max_length=50, db_index=True)  # a room exists while it has messages
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    text = models.TextField()  # at most CHAT_MESSAGE_MAX_CHARS, checked by the consumer
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"#{self.room} {self.user}: {self.text[:40]}"

    def as_frame(self):
        """What every client in the room receives, and what the history lists."""
        return {"id": self.id, "message": self.text, "user": self.user.get_username(), "sent_at": self.sent_at.isoformat()}


class Notification(models.Model):
    """Someone wrote @<your username> in a room. A post_save receiver pushes it to the
    recipient's live feed once the transaction has committed (chat/receivers.py)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"for {self.recipient}: {self.message}"

    def as_frame(self):
        message = self.message
        return {
            "id": self.id,
            "type": "mention",
            "room": message.room,
            "from": message.user.get_username(),
            "message_id": message.id,
            "message": message.text[:200],
        }
