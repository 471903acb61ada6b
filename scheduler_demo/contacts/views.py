from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, parsers, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttling import ImportThrottle
from config.plumbing.parsers import JSONParser

from .importer import ROW_KEYS, unstorable
from .invites import invite_contacts
from .models import Source, UserContactsImport
from .parsers import BodySizeLimit, CSVParser, FileBody
from .serializers import ContactSerializer, ImportStatusSerializer, InviteSerializer
from .services import import_contacts
from .uploads import InvalidUpload, Upload, read_contacts_file

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
        "description": (
            "A contacts file as the body: CSV (Google Contacts, Outlook, a spreadsheet; comma, semicolon or tab"
            " separated) or vCard. A charset parameter is honoured; else UTF-8 (BOM or not), else Windows-1252."
        ),
        "example": "name,phone,email\nAda Lovelace,+44 20 7946 0000,ada@example.com\n",
    },
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "file": {
                "type": "string",
                "format": "binary",
                "description": "A Google or Outlook CSV export, a spreadsheet's CSV or TSV, or a .vcf file.",
            },
            "source": SOURCE,
        },
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
    ``contacts`` list and a ``source``), a file as the body (``Content-Type: text/csv``)
    or a multipart upload (field ``file``): CSV or vCard, read by contacts/uploads.py,
    which refuses a file it cannot read whole (400 naming the line). Each row is
    validated by the background task, which counts bad rows as invalid with their line.
    """

    parser_classes = [JSONParser, CSVParser, parsers.MultiPartParser, parsers.FormParser]
    throttle_classes = [ImportThrottle]
    throttle_scope = "imports"

    @property
    def max_body_bytes(self):  # read per request: a test may change the setting
        return settings.CONTACTS_IMPORT_MAX_BYTES

    @extend_schema(
        request=IMPORT_UPLOAD,
        parameters=[OpenApiParameter("source", enum=Source.values, description="Where the contacts come from.")],
        responses={202: IMPORT_ACCEPTED},
    )
    def put(self, request):
        upload, source = self.read_upload(request)
        record = import_contacts(user=request.user, rows=upload.rows, source=source, upload=upload)
        return Response({"import_id": record.pk}, status=status.HTTP_202_ACCEPTED)

    def read_upload(self, request):
        """-> (Upload, source), or a 400 naming the field (or the line of the file)."""
        data, field = request.data, "contacts"  # the field an error names
        source = request.query_params.get("source")
        if isinstance(data, FileBody):  # a text/csv body (a JSON {"csv": ...} is not one)
            field, upload = "csv", self.read_file(bytes(data), data.charset, "csv")
        elif isinstance(data, list):
            upload = json_upload(data)
        elif not isinstance(data, dict):  # e.g. a JSON string or number
            raise ValidationError({"contacts": ["Send a JSON list of contacts."]})
        elif "file" in data or request.FILES:
            # The file in `file` (or, failing that, whatever single file was sent).
            field, file = "file", data.get("file") or next(iter(request.FILES.values()))
            if not hasattr(file, "read"):
                raise ValidationError({"file": ["Upload a CSV or vCard file."]})
            upload = self.read_file(file.read(), getattr(file, "charset", None), "file")
            source = source or data.get("source")
        elif isinstance(data.get("contacts"), list):
            upload, source = json_upload(data["contacts"]), source or data.get("source")
        else:
            raise ValidationError(
                {"contacts": ["Send a JSON list of contacts, a CSV body (text/csv) or a CSV file in `file`."]}
            )
        check_rows(upload.rows, field)
        source = source or Source.PHONE
        if source not in Source.values:
            raise ValidationError({"source": [f"Choose one of: {', '.join(Source.values)}."]})
        return upload, source

    @staticmethod
    def read_file(raw, charset, field):
        try:
            return read_contacts_file(raw, charset)
        except InvalidUpload as error:
            raise ValidationError({field: [str(error)]}) from None


def json_upload(rows):
    """A JSON list: each object reduced to the documented keys (name, phone, email,
    phone_code), so a client cannot reach what only the file reader writes."""
    if problem := unstorable(rows):  # before the reduction: a NUL in any key is refused
        raise ValidationError({"contacts": [problem]})
    rows = [{key: row[key] for key in ROW_KEYS if key in row} if isinstance(row, dict) else row for row in rows]
    return Upload(rows, "json", "")


def check_rows(rows, field):
    if not rows:
        raise ValidationError({"contacts": ["The upload holds no contacts."]})
    if len(rows) > settings.CONTACTS_IMPORT_MAX_ROWS:
        raise ValidationError({"contacts": [f"At most {settings.CONTACTS_IMPORT_MAX_ROWS} contacts per import."]})
    if problem := unstorable(rows):
        raise ValidationError({field: [problem]})


class ImportStatusView(generics.RetrieveAPIView):
    """``GET /api/contacts/imports/<id>/``: the progress of one of your imports."""

    serializer_class = ImportStatusSerializer

    def get_queryset(self):
        return UserContactsImport.objects.filter(user=self.request.user).defer("rows")


class PhoneImportRecordedView(APIView):
    """``GET /api/contacts/phone-import-recorded/`` -> ``{"recorded": bool}`` (the django-base project's endpoint):
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
    # JSON only: as a form, 10,000 ids are 10,000 fields, past Django's
    # DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000): a 400 with a traceback in the log, for a
    # body the schema allowed. (Found by fuzzing.)
    parser_classes = [JSONParser]

    @extend_schema(request=InviteSerializer, responses=INVITE_RESULT)
    def post(self, request):
        serializer = InviteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return Response(invite_contacts(request.user, **serializer.validated_data))
