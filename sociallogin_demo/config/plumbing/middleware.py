"""Identical in every demo; not the lesson.

Django's CommonMiddleware answers a request for ``/api/thing`` (no trailing slash) with a
redirect to ``/api/thing/``. A redirect cannot carry a POST body, so with DEBUG on Django
raises RuntimeError (a 500 page) and with DEBUG off it redirects, and curl or a script
silently re-sends the request as a GET. Here such a request gets a 404 that names the
right URL instead; GET and HEAD still redirect as usual.

A NUL byte in a URL is never meaningful, and PostgreSQL refuses text that holds one (a
``DataError``: a 500 from the admin's list filters, say), so outside the API a request with
one in its path or query string is a 400 before any view sees it.
"""

from django.http import JsonResponse
from django.middleware.common import CommonMiddleware
from django.utils.http import escape_leading_slashes

METHODS_WITH_A_BODY = ("DELETE", "PATCH", "POST", "PUT")


def refuse_nul_bytes(get_response):
    def middleware(request):
        # The API's own views answer a NUL with their documented 400 or 404; the admin and
        # the other pages would hand it to the database.
        query = request.META.get("QUERY_STRING", "")
        outside_the_api = not request.path.startswith("/api/")
        if outside_the_api and ("\x00" in request.path or "%00" in query or "\x00" in query):
            return JsonResponse({"detail": "A URL may not contain a NUL byte (%00)."}, status=400)
        return get_response(request)

    return middleware


class TrailingSlashMiddleware(CommonMiddleware):
    def process_response(self, request, response):
        if (
            response.status_code == 404
            and request.method in METHODS_WITH_A_BODY
            and self.should_redirect_with_slash(request)
        ):
            right_url = escape_leading_slashes(request.get_full_path(force_append_slash=True))
            detail = f"{request.path} does not exist: URLs here end with a slash. {request.method} to {right_url}"
            return JsonResponse({"detail": detail}, status=404)
        return super().process_response(request, response)
