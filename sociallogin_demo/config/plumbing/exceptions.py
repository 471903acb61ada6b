"""DRF's exception handler, plus JSON answers for the request bodies Django refuses.

Django refuses a body past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), more than
DATA_UPLOAD_MAX_NUMBER_FIELDS form fields or DATA_UPLOAD_MAX_NUMBER_FILES files with a
SuspiciousOperation. DRF's handler knows only its own exceptions, so these would reach
Django's 400 page: HTML (with DEBUG on, a full traceback page) where an API client
expects JSON. Here: 413 for a body too large, 400 for too many fields or files.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

REFUSED_BODIES = {
    RequestDataTooBig: (413, "The request body is too large."),
    TooManyFieldsSent: (400, "The request has too many fields."),
    TooManyFilesSent: (400, "The request has too many files."),
}


def exception_handler(exc, context):
    for exception_class, (status, detail) in REFUSED_BODIES.items():
        if isinstance(exc, exception_class):
            return Response({"detail": detail}, status=status)
    return drf_exception_handler(exc, context)
