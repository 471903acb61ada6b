from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiHit(models.Model):
    """One handled /api/ request. Deliberately absent: headers, query string, body."""

    timestamp = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=255)
    status_code = models.PositiveSmallIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="api_hits"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(max_length=64, blank=True)
    os = models.CharField(max_length=64, blank=True)
    device = models.CharField(max_length=64, blank=True)
    duration_ms = models.FloatField()

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = "API hit"

    def __str__(self):
        return f"{self.method} {self.path} {self.status_code}"
