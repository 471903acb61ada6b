from django.conf import settings
from django.db import models
from django.db.models import Q


class Source(models.TextChoices):
    """Where a contact came from (the django-base project's imported_contact_sources_choices)."""

    LINKEDIN = "linkedin", "LinkedIn"
    GOOGLE = "google", "Google"
    LINK = "link", "Link"
    PHONE = "phone", "Phone"


class State(models.TextChoices):
    """Where the invitation of a contact stands (the django-base project's user_contact_states_choices)."""

    INVITE_PENDING = "invite_pending", "Invite pending"
    INVITE_SENT = "invite_sent", "Invite sent"
    INVITE_REMINDER_SENT = "invite_reminder_sent", "Invite reminder sent"
    ALREADY_MEMBER = "already_member", "Already member"
    # Outcomes a real messaging provider would report back (not produced by this demo).
    INVITE_SUCCESS = "invite_success", "Invite success"
    INVITE_FAILURE = "invite_failure", "Invite failure"


class UserContactsImport(models.Model):
    """One upload of contacts and its progress, written batch by batch by the task.

    ``processed`` advances in the same transaction as each batch's contacts, so it is
    always exactly the number of uploaded rows already written: a worker that dies
    loses at most one uncommitted batch, and the next run continues from here.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_imports")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PHONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The uploaded rows, kept only until the import is done (then emptied: the
    # contacts live in UserContact). The task gets the import id, never the rows.
    rows = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    # The first invalid rows and why: [{"row": 3, "error": "..."}] (no row content).
    errors = models.JSONField(default=list, blank=True)
    # The django-base project's flag: False while a phone import runs, True once it is recorded.
    phone_import_recorded = models.BooleanField(default=False)
    # How an uploaded file was read (contacts/uploads.py), said in the status: its format
    # (json, csv, google_csv, outlook_csv, vcard), its encoding and why, and notes on
    # anything read differently or left out (columns not imported, extra cells).
    format = models.CharField(max_length=20, default="json")
    encoding = models.CharField(max_length=100, blank=True, default="")
    notes = models.JSONField(default=list, blank=True)
    # The engine it was queued on, and when a batch last committed: the status tells from
    # them how long a worker that died would hold the import "running".
    engine = models.CharField(max_length=20, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)  # when the latest run began
    last_progress_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"import #{self.pk} ({self.status}, {self.processed}/{self.total})"


class UserContact(models.Model):
    """A contact of ``user``, as imported (the django-base project's fields)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts")
    # The member this contact turned out to be (set when they sign up).
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="user_contact"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # NULL, not "", when absent (as in the django-base project): the unique constraints below skip NULLs,
    # while every "" would collide with the next one.
    email = models.EmailField(null=True, blank=True, db_index=True)  # noqa: DJ001 - stored lower-case
    # The country calling code when the client sent it separately; phone_number is
    # always the full normalized number (code included), the one column compared.
    phone_code = models.CharField(max_length=5, blank=True, default="")
    phone_number = models.CharField(max_length=20, null=True, blank=True, db_index=True)  # noqa: DJ001
    # A file row's further numbers and addresses (Google and vCard rows often hold several);
    # duplicates are recognized by phone_number and email only.
    other_phones = models.JSONField(default=list, blank=True)
    other_emails = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=25, choices=State.choices, default=State.INVITE_PENDING)
    block_invites = models.BooleanField(default=False)
    registered = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, editable=False)

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        constraints = [
            # The database, not the import code, guarantees "no duplicates": two
            # workers or a re-run can race, a constraint cannot be raced.
            models.UniqueConstraint(
                fields=["user", "phone_number"],
                condition=Q(phone_number__isnull=False),
                name="unique_contact_phone_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "email"], condition=Q(email__isnull=False), name="unique_contact_email_per_user"
            ),
            models.CheckConstraint(
                condition=Q(phone_number__isnull=False) | Q(email__isnull=False), name="contact_has_phone_or_email"
            ),
        ]
        indexes = [models.Index(fields=["user", "first_name", "last_name"], name="contact_user_name_idx")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email or self.phone_number
