from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, answering a body nested too deeply for Python's json module
    (``[[[[...`` a thousand times deep) with 400 like any other bad JSON.

    DRF turns the ValueError of malformed JSON into a ParseError, but not the
    RecursionError of deep nesting, which would be a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None


class CSVText(str):
    """The text of a ``text/csv`` body: a str that remembers it came from CSVParser, so a
    JSON object cannot pass for a CSV upload."""


class CSVParser(parsers.BaseParser):
    """``Content-Type: text/csv``: the body is the CSV text (UTF-8, BOM tolerated)."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return CSVText(stream.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ParseError("CSV must be UTF-8 encoded.") from None
