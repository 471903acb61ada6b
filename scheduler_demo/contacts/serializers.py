from django.conf import settings
from rest_framework import serializers

from .models import UserContact, UserContactsImport
from .progress import is_stalled, progress_note


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserContact
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone_code",
            "phone_number",
            "other_phones",
            "other_emails",
            "source",
            "state",
            "registered",
            "block_invites",
            "invited_at",
        ]


class ImportStatusSerializer(serializers.ModelSerializer):
    import_id = serializers.IntegerField(source="pk")
    errors_not_listed = serializers.SerializerMethodField(
        help_text="Invalid rows beyond the first 100 listed in errors (they are counted in invalid)."
    )

    stalled = serializers.SerializerMethodField(help_text="No batch committed for CONTACTS_IMPORT_STALLED_AFTER s.")
    progress_note = serializers.SerializerMethodField(
        help_text="While running: the last progress, and how long a worker that died would hold the import."
    )

    def get_errors_not_listed(self, record) -> int:
        return max(record.invalid - len(record.errors), 0)

    def get_stalled(self, record) -> bool:
        return is_stalled(record)

    def get_progress_note(self, record) -> str:
        return progress_note(record)

    class Meta:
        model = UserContactsImport
        fields = [
            "import_id",
            "source",
            "status",
            "total",
            "processed",
            "created",
            "duplicates",
            "invalid",
            "errors",
            "errors_not_listed",
            "format",
            "encoding",
            "notes",
            "engine",
            "started_at",
            "last_progress_at",
            "stalled",
            "progress_note",
            "created_at",
            "finished_at",
        ]


# A contact id is a BigAutoField: a larger number is no id, and would overflow the
# database's integer (SQLite raises OverflowError: a 500) before matching nothing.
CONTACT_ID = {"min_value": 1, "max_value": 2**63 - 1}


# Every id becomes one SQL parameter: 250,001 of them exceed SQLite's limit ("too many SQL
# variables", a 500). The cap (maxItems in the schema) keeps every list far below it.
def id_list():
    return serializers.ListField(
        child=serializers.IntegerField(**CONTACT_ID), default=list, max_length=settings.CONTACTS_INVITE_MAX_IDS
    )


class InviteSerializer(serializers.Serializer):
    invite_all = serializers.BooleanField(default=False)
    selected_ids = id_list()
    deselected_ids = id_list()

    def validate(self, attrs):
        if not attrs["invite_all"] and not attrs["selected_ids"]:
            raise serializers.ValidationError(
                {"selected_ids": ["Select at least one contact, or send invite_all: true."]}
            )
        if attrs["invite_all"]:  # selected_ids are not used then
            return attrs
        user = self.context["request"].user
        unknown = set(attrs["selected_ids"]) - set(
            UserContact.objects.filter(user=user, pk__in=attrs["selected_ids"]).values_list("pk", flat=True)
        )
        if unknown:
            raise serializers.ValidationError({"selected_ids": [f"Unknown contact ids: {sorted(unknown)}."]})
        return attrs
