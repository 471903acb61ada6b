from auditlog.models import AuditlogHistoryField
from auditlog.registry import auditlog
from django.conf import settings
from django.db import models


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Note(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    tags = models.ManyToManyField(Tag, blank=True, related_name="notes")
    # Entries outlive the note: delete_related=False (the default) keeps the trail.
    history = AuditlogHistoryField()

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return self.title


# m2m_fields: tag changes are logged too (as UPDATE entries). Without it, tags.add/remove
# leave no trace: auditlog's field diff skips many-to-many fields.
auditlog.register(Note, m2m_fields={"tags"})
