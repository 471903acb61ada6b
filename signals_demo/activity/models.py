from django.db import models


class Event(models.Model):
    """One line of the activity feed that the demo's receivers write (GET /api/events/)."""

    signal = models.CharField(max_length=40)
    sender = models.CharField(max_length=100)
    summary = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.summary


def record(signal, sender, summary):
    """Write a feed event. ``sender`` may be a class, a string or None."""
    name = getattr(sender, "__name__", None) or (str(sender) if sender else "-")
    return Event.objects.create(signal=signal, sender=name[:100], summary=summary[:255])
