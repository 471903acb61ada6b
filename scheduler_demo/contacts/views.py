from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, parsers, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import ImportRateThrottle

from .enqueue import enqueue_import
from .importer import InvalidUpload, rows_from_csv, unstorable
from .invites import invite_contacts
from .models import Source, UserContactsImport
from .parsers import BodySizeLimit, CSVParser, CSVText, JSONParser
from .serializers import ContactSerializer, ImportStatusSerializer, InviteSerializer

# --- the OpenAPI schema (/api/schema/) of what these views read and build by hand ---------
# One uploaded contact. The view checks only the upload's shape; the background task
# validates each row and counts a bad one as invalid (the import is not refused).
CONTACT_ROW = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 201, "example": "Ada Lovelace"},
        "phone": {
            "type": "string",
            "maxLength": 32,
            "example": "+44 20 7946 0000",
            "description": "A phone number as typed; stored in E.164 (+442079460000).",
        },
        "email": {"type": "string", "format": "email", "maxLength": 254, "example": "ada@example.com"},
        "phone_code": {
            "type": "string",
            "maxLength": 5,
            "example": "+44",
            "description": "The country calling code of a phone without +.",
        },
    },
    "description": "A contact needs a phone or an email; a row without both, or over a maxLength, is counted invalid.",
}
SOURCE = {"type": "string", "enum": list(Source.values), "default": Source.PHONE, "maxLength": 10}
CONTACT_LIST = {"type": "array", "items": CONTACT_ROW, "minItems": 1, "maxItems": settings.CONTACTS_IMPORT_MAX_ROWS}
IMPORT_UPLOAD = {
    # A JSON list of contacts, or {"contacts": [...], "source": "google"}.
    "application/json": {
        "oneOf": [
            CONTACT_LIST,
            {
                "type": "object",
                "properties": {"contacts": CONTACT_LIST, "source": SOURCE},
                "required": ["contacts"],
            },
        ]
    },
    "text/csv": {
        "type": "string",
        "maxLength": settings.CONTACTS_IMPORT_MAX_BYTES,
        "description": "A header row with name, phone and/or email (phone_code optional), then one contact a line.",
        "example": "name,phone,email\nAda Lovelace,+44 20 7946 0000,ada@example.com\n",
    },
    "multipart/form-data": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}, "source": SOURCE},
        "required": ["file"],
    },
}
IMPORT_ACCEPTED = inline_serializer("ImportAccepted", {"import_id": serializers.IntegerField()})
RECORDED = inline_serializer("PhoneImportRecorded", {"recorded": serializers.BooleanField()})
INVITE_RESULT = inline_serializer(
    "InviteResult",
    {
        "invited": serializers.IntegerField(),
        "reminded": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
    },
)


class ImportView(BodySizeLimit, APIView):
    """``PUT /api/contacts/import/[?source=phone]`` -> 202 ``{"import_id": n}``.

    The body is a JSON list ``[{"name", "phone"?, "email"?}]`` (or an object with a
    ``contacts`` list and a ``source``), a CSV body (``Content-Type: text/csv``) or a
    multipart upload of a CSV file (field ``file``). Only the shape is checked here: each
    row is validated by the background task, which counts bad rows as invalid.
    """

    parser_classes = [JSONParser, CSVParser, parsers.MultiPartParser, parsers.FormParser]
    throttle_classes = [ImportRateThrottle]

    @property
    def max_body_bytes(self):  # read per request: a test may change the setting
        return settings.CONTACTS_IMPORT_MAX_BYTES

    @extend_schema(
        request=IMPORT_UPLOAD,
        parameters=[OpenApiParameter("source", enum=Source.values, description="Where the contacts come from.")],
        responses={202: IMPORT_ACCEPTED},
    )
    def put(self, request):
        rows, source = self.read_upload(request)
        with transaction.atomic():
            record = UserContactsImport.objects.create(user=request.user, source=source, rows=rows, total=len(rows))
            # Queued on settings.TASKS_ENGINE when this transaction commits: never for a
            # record that is rolled back, never before the worker can read the record.
            enqueue_import(record.pk, creator=request.user)
        return Response({"import_id": record.pk}, status=status.HTTP_202_ACCEPTED)

    def read_upload(self, request):
        data = request.data
        source = request.query_params.get("source")
        field = "contacts"  # the field an error names
        if isinstance(data, CSVText):  # a text/csv body (a JSON {"csv": ...} is not one)
            field = "csv"
            rows = self.read_csv(data, field=field)
        elif isinstance(data, list):
            rows = data
        elif not isinstance(data, dict):  # e.g. a JSON string or number
            raise ValidationError({"contacts": ["Send a JSON list of contacts."]})
        elif "file" in data or request.FILES:
            field = "file"
            # The CSV file in `file` (or, failing that, whatever single file was sent).
            upload = data.get("file") or next(iter(request.FILES.values()))
            if not hasattr(upload, "read"):
                raise ValidationError({"file": ["Upload a CSV file."]})
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError({"file": ["The CSV file must be UTF-8 encoded."]}) from None
            rows = self.read_csv(text, field="file")
            source = source or data.get("source")
        elif isinstance(data.get("contacts"), list):
            rows = data["contacts"]
            source = source or data.get("source")
        else:
            raise ValidationError(
                {"contacts": ["Send a JSON list of contacts, a CSV body (text/csv) or a CSV file in `file`."]}
            )
        if not rows:
            raise ValidationError({"contacts": ["The upload holds no contacts."]})
        if len(rows) > settings.CONTACTS_IMPORT_MAX_ROWS:
            raise ValidationError({"contacts": [f"At most {settings.CONTACTS_IMPORT_MAX_ROWS} contacts per import."]})
        if problem := unstorable(rows):
            raise ValidationError({field: [problem]})
        source = source or Source.PHONE
        if source not in Source.values:
            raise ValidationError({"source": [f"Choose one of: {', '.join(Source.values)}."]})
        return rows, source

    @staticmethod
    def read_csv(text, field):
        try:
            return rows_from_csv(text)
        except InvalidUpload as error:
            raise ValidationError({field: [str(error)]}) from None


class ImportStatusView(generics.RetrieveAPIView):
    """``GET /api/contacts/imports/<id>/``: the progress of one of your imports."""

    serializer_class = ImportStatusSerializer

    def get_queryset(self):
        return UserContactsImport.objects.filter(user=self.request.user).defer("rows")


class PhoneImportRecordedView(APIView):
    """``GET /api/contacts/phone-import-recorded/`` -> ``{"recorded": bool}`` (the seed's endpoint):
    whether your latest phone import has been recorded completely."""

    @extend_schema(responses=RECORDED)
    def get(self, request):
        latest = (
            UserContactsImport.objects.filter(user=request.user, source=Source.PHONE)
            .only("phone_import_recorded")
            .first()
        )
        return Response({"recorded": bool(latest and latest.phone_import_recorded)})


class ContactListView(generics.ListAPIView):
    """``GET /api/contacts/?page=n``: your contacts, 20 per page, by first name."""

    serializer_class = ContactSerializer

    def get_queryset(self):
        return self.request.user.contacts.order_by("first_name", "last_name", "id")


class InviteView(BodySizeLimit, APIView):
    """``POST /api/contacts/invite/`` ``{invite_all, selected_ids, deselected_ids}``."""

    max_body_bytes = 512 * 1024  # 2 x CONTACTS_INVITE_MAX_IDS ids of 19 digits fit

    @extend_schema(request=InviteSerializer, responses=INVITE_RESULT)
    def post(self, request):
        serializer = InviteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return Response(invite_contacts(request.user, **serializer.validated_data))
