from django.db import transaction
from rest_framework import serializers

from .models import Note, Tag

# Every input is bounded; the bounds are maxItems/maxLength in the OpenAPI schema. Each tag
# costs queries inside the note's write transaction, and on SQLite that transaction holds
# the one write lock: 20,000 tags took 24 s, and every other writer waited or failed.
MAX_TAGS = 20
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
BODY_MAX_LENGTH = 10_000


class TagNamesField(serializers.ListField):
    """Tags in and out as a list of names (at most MAX_TAGS); unknown names are created on save."""

    child = serializers.CharField(max_length=TAG_MAX_LENGTH)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TAGS)  # ListField's max_length: maxItems, 400 naming "tags"
        super().__init__(**kwargs)

    def to_representation(self, tags):
        return [tag.name for tag in tags.all()]


class NoteSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    tags = TagNamesField(required=False)

    class Meta:
        model = Note
        fields = ["id", "title", "body", "owner", "tags"]
        extra_kwargs = {"body": {"max_length": BODY_MAX_LENGTH}}

    def validate_tags(self, names):
        return sorted(set(names))  # CharField already trimmed and rejected blanks

    @staticmethod
    def _set_tags(note, names):
        tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
        # set() logs exactly what it removed and added; clear() would log every Tag
        # in the database (pitfall 3a).
        note.tags.set(tags)

    @transaction.atomic
    def create(self, validated_data):
        names = validated_data.pop("tags", [])
        note = super().create(validated_data)
        self._set_tags(note, names)
        return note

    @transaction.atomic
    def update(self, note, validated_data):
        names = validated_data.pop("tags", None)
        note = super().update(note, validated_data)
        if names is not None:
            self._set_tags(note, names)
        return note
