from django.db import transaction
from rest_framework import serializers

from .models import PersonalDetail, Student
from .services import personal_detail_of


class PersonalDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalDetail
        fields = ["id", "address", "dob", "pic"]
        read_only_fields = ["id", "pic"]


class PictureSerializer(serializers.ModelSerializer):
    """PUT /api/students/<id>/picture/ (multipart): the model field's validator bounds it."""

    class Meta:
        model = PersonalDetail
        fields = ["pic"]
        extra_kwargs = {"pic": {"required": True, "allow_null": False}}

    @transaction.atomic  # the replaced file is deleted on COMMIT (students/receivers.py)
    def update(self, instance, validated_data):
        return super().update(instance, validated_data)


class StudentSerializer(serializers.ModelSerializer):
    # Created by the post_save receiver, not by the client: read-only on create,
    # address and dob may be changed with PATCH.
    personal_detail = PersonalDetailSerializer(required=False)

    class Meta:
        model = Student
        fields = ["id", "name", "age", "mobileno", "personal_detail"]

    def validate(self, attrs):
        if self.instance is None and "personal_detail" in attrs:
            raise serializers.ValidationError(
                {"personal_detail": ["Created automatically with the student; change it with PATCH."]}
            )
        return attrs

    @transaction.atomic  # the student and its PersonalDetail are written together or not at all
    def create(self, validated_data):
        return super().create(validated_data)

    @transaction.atomic
    def update(self, instance, validated_data):
        detail_data = validated_data.pop("personal_detail", None)
        instance = super().update(instance, validated_data)
        if detail_data:
            detail = personal_detail_of(instance)
            for field, value in detail_data.items():
                setattr(detail, field, value)
            detail.save(update_fields=list(detail_data))
        return instance
