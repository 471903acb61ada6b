from auditlog.models import AuditlogHistoryField
from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Django's user plus an audit trail: ``user.history`` is every LogEntry about this user."""

    phone = models.CharField(max_length=32, blank=True)
    history = AuditlogHistoryField()


# Secrets are EXCLUDED, never masked: mask_fields hides only the first half of a value
# (pitfall 3b). last_login is noise (it changes on every admin login); so are the reverse
# relations "notes" and "api_hits", which a CREATE entry would record as
# "notes.Note.None". The phone number is personal data where a partial hint
# ("*****0199") is the point, so it is masked.
auditlog.register(User, exclude_fields=["password", "last_login", "notes", "api_hits"], mask_fields=["phone"])
