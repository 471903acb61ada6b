from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .models import Student
from .serializers import PersonalDetailSerializer, PictureSerializer, StudentSerializer
from .services import personal_detail_of

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the file


def upload_too_big(request):
    """Refuse an oversized body from its Content-Length, before a byte of it is parsed."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.STUDENT_PICTURE_MAX_BYTES
    if length > limit + MULTIPART_OVERHEAD:
        return f"The upload is {length:,} bytes; a picture may be at most {limit:,} bytes."
    return None


class StudentViewSet(viewsets.ModelViewSet):
    """/api/students/ : every write fires the model signals this demo teaches.

    Open to anyone so the signals are easy to watch: a demo, not a production API.
    """

    queryset = Student.objects.select_related("personal_detail").order_by("id")
    serializer_class = StudentSerializer
    permission_classes = [AllowAny]
    authentication_classes = []  # no session, so no CSRF dance for curl users

    @extend_schema(
        request={"multipart/form-data": PictureSerializer},
        responses={200: PersonalDetailSerializer},
        description="Replace the picture (JPEG, PNG or WebP; size and pixels bounded). "
        "It is stored without EXIF/GPS metadata; the replaced file is deleted after COMMIT.",
    )
    @action(detail=True, methods=["put"], parser_classes=[MultiPartParser], serializer_class=PictureSerializer)
    def picture(self, request, pk=None):
        if problem := upload_too_big(request):
            return Response({"pic": [problem]}, status=status.HTTP_400_BAD_REQUEST)
        detail = personal_detail_of(self.get_object())
        serializer = PictureSerializer(detail, data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(PersonalDetailSerializer(detail, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={204: OpenApiResponse(description="No picture now; its file is deleted.")})
    @picture.mapping.delete
    def clear_picture(self, request, pk=None):
        detail = personal_detail_of(self.get_object())
        with transaction.atomic():
            detail.pic = ""  # what the admin's "Clear" checkbox sets
            detail.save(update_fields=["pic"])
        return Response(status=status.HTTP_204_NO_CONTENT)
