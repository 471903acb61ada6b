from django.db import transaction
from rest_framework import serializers

from .models import Note, Tag


class TagNamesField(serializers.ListField):
    """Tags in and out as a list of names; unknown names are created on save."""

    child = serializers.CharField(max_length=50)

    def to_representation(self, tags):
        return [tag.name for tag in tags.all()]


class NoteSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    tags = TagNamesField(required=False)

    class Meta:
        model = Note
        fields = ["id", "title", "body", "owner", "tags"]

    def validate_tags(self, names):
        return sorted(set(names))  # CharField already trimmed and rejected blanks

    @staticmethod
    def _set_tags(note, names):
        tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
        # set() logs exactly what it removed and added; clear() would log every Tag
        # in the database (pitfall 3).
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
