from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class FileBody(bytes):
    """The raw bytes of a ``text/csv`` body, and the ``charset`` its Content-Type named:
    decoding is the import's job (contacts/uploads.py), which also reads vCard and TSV.
    A bytes subclass, so a JSON object cannot pass for a file upload."""

    charset = None


class CSVParser(parsers.BaseParser):
    """``Content-Type: text/csv[; charset=...]``: the body, as bytes (bounded by BodySizeLimit)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        body = FileBody(stream.read() if stream is not None else b"")
        body.charset = parse_header_parameters(media_type or "")[1].get("charset")
        return body


def declared_body_size(request):
    """The body size the client declared (Content-Length), 0 when absent or garbage.

    Django reads at most Content-Length bytes from the WSGI input, so this bounds what a
    parser could ever read: checking it refuses a huge body before a byte of it is read.
    """
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class BodySizeLimit:
    """A view mixin: refuse a request body over ``max_body_bytes`` before parsing it.

    DRF's parsers read the request stream themselves, past Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE check (which guards only ``request.body`` and form
    fields, never file parts): without this, a 48 MB JSON or CSV body is read, decoded
    and parsed before anything looks at its size. Checked in ``initial()``, after
    authentication and throttling, so an anonymous caller still gets its 401.
    """

    max_body_bytes = 256 * 1024

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        size, limit = declared_body_size(request), self.max_body_bytes
        if size > limit:
            raise ParseError(f"The request body is {size} bytes; this endpoint accepts at most {limit} bytes.")
