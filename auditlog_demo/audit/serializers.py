from auditlog.models import LogEntry
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}


def changes_as_pairs(entry):
    """``{field: [old, new]}`` for every entry.

    Field changes already have that shape. A many-to-many entry is stored as
    ``{"tags": {"type": "m2m", "operation": "add"|"delete", "objects": [...]}}``: it
    records the delta, not the whole set, so it becomes ``[removed, added]``.
    """
    pairs = {}
    for field, value in entry.changes_dict.items():
        if isinstance(value, dict) and value.get("type") == "m2m":
            objects = list(value.get("objects", []))
            pairs[field] = [objects, []] if value.get("operation") == "delete" else [[], objects]
        else:
            pairs[field] = list(value)
    return pairs


class LogEntrySerializer(serializers.ModelSerializer):
    action = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()
    # null when no user was known: a change made in a shell, a migration or a command
    # (found by the fuzzer: the schema promised a string, the API answered null).
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Who made the change; null if unknown."
    )

    class Meta:
        model = LogEntry
        fields = ["id", "action", "changes", "actor", "timestamp", "remote_addr"]
        # null for someone else's change unless the reader is staff (see may_see_the_address)
        extra_kwargs = {"remote_addr": {"help_text": "The actor's IP address; null if unknown or not yours to see."}}

    def to_representation(self, entry):
        data = super().to_representation(entry)
        if not self.may_see_the_address(entry):
            data["remote_addr"] = None
        return data

    def may_see_the_address(self, entry):
        """An actor's IP address is their personal data: staff see every entry's; anyone
        else only the addresses of their own changes. The owner of a note that staff edited
        in the admin (or that someone else owned before) learns who, not from where."""
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        if viewer is None or viewer.is_staff:
            return True
        return entry.actor_id is not None and entry.actor_id == viewer.pk

    @extend_schema_field({"type": "string", "enum": [*ACTIONS.values()]})
    def get_action(self, entry):
        return ACTIONS.get(entry.action, str(entry.action))

    # {"field": [old, new]}: any JSON value on either side (a list of names for tags).
    @extend_schema_field({"type": "object", "additionalProperties": {"type": "array", "items": {}}})
    def get_changes(self, entry):
        return changes_as_pairs(entry)


# A history grows with every change and is read whole: unbounded, one request could make
# the server serialize hundreds of thousands of entries (a note PATCHed in a loop).
HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT = 100, 1000


class HistoryLimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=HISTORY_MAX_LIMIT, default=HISTORY_DEFAULT_LIMIT)


def newest_entries(entries, request):
    """The first ``?limit=`` entries (default 100, at most 1,000); 400 {"limit": [...]} if bad."""
    params = HistoryLimitSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return entries[: params.validated_data["limit"]]
