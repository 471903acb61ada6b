from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, answering a body nested too deeply for Python's json module
    (``[[[[...`` a hundred thousand times deep) with 400 like any other bad JSON.

    DRF turns the ValueError of malformed JSON into a ParseError (400), but not the
    RecursionError of deep nesting, which would be a 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
