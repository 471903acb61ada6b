from django.conf import settings
from django.db import models


class Room(models.Model):
    """A room's message counter: each message gets the next number, so a client that sees
    number 7 after number 5 knows it missed one (pitfall 6) and asks the history for it."""

    name = models.CharField(max_length=50, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"#{self.name}"


class Message(models.Model):
    """One chat message, saved before anyone sees it (chat/services.py)."""

    room = models.CharField(max_length=50)
    seq = models.PositiveBigIntegerField()  # 1, 2, 3 ... in each room, in commit order
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    text = models.TextField()  # at most CHAT_MESSAGE_MAX_CHARS, checked by the consumer
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["room", "seq"], name="one_message_per_room_seq")]

    def __str__(self):
        return f"#{self.room} {self.user}: {self.text[:40]}"

    def as_frame(self):
        """What every client in the room receives, and what the history lists."""
        user = self.user.get_username()
        return {"id": self.id, "seq": self.seq, "message": self.text, "user": user, "sent_at": self.sent_at.isoformat()}


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
