from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser


class CSVParser(BaseParser):
    """``Content-Type: text/csv``: the body is the CSV text (UTF-8, BOM tolerated)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return {"csv": stream.read().decode("utf-8-sig")}
        except UnicodeDecodeError:
            raise ParseError("CSV must be UTF-8 encoded.") from None
