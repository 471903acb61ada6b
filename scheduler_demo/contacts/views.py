from django.conf import settings
from django.db import transaction
from rest_framework import generics, parsers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .enqueue import enqueue_import
from .importer import InvalidUpload, rows_from_csv
from .invites import invite_contacts
from .models import Source, UserContactsImport
from .parsers import CSVParser
from .serializers import ContactSerializer, ImportStatusSerializer, InviteSerializer


class ImportView(APIView):
    """``PUT /api/contacts/import/[?source=phone]`` -> 202 ``{"import_id": n}``.

    The body is a JSON list ``[{"name", "phone"?, "email"?}]`` (or an object with a
    ``contacts`` list and a ``source``), a CSV body (``Content-Type: text/csv``) or a
    multipart upload of a CSV file (field ``file``). Only the shape is checked here: each
    row is validated by the background task, which counts bad rows as invalid.
    """

    parser_classes = [parsers.JSONParser, CSVParser, parsers.MultiPartParser, parsers.FormParser]

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
        if isinstance(data, list):
            rows = data
        elif not isinstance(data, dict):  # e.g. a JSON string or number
            raise ValidationError({"contacts": ["Send a JSON list of contacts."]})
        elif "csv" in data:  # CSVParser
            rows = self.read_csv(data["csv"], field="csv")
        elif "file" in data or request.FILES:
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


class InviteView(APIView):
    """``POST /api/contacts/invite/`` ``{invite_all, selected_ids, deselected_ids}``."""

    def post(self, request):
        serializer = InviteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return Response(invite_contacts(request.user, **serializer.validated_data))
