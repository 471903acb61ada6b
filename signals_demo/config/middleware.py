"""Identical in every demo; not the lesson.

Django's CommonMiddleware answers a request for ``/api/thing`` (no trailing slash) with a
redirect to ``/api/thing/``. A redirect cannot carry a POST body, so with DEBUG on Django
raises RuntimeError (a 500 page) and with DEBUG off it redirects, and curl or a script
silently re-sends the request as a GET. Here such a request gets a 404 that names the
right URL instead; GET and HEAD still redirect as usual.
"""

from django.http import JsonResponse
from django.middleware.common import CommonMiddleware
from django.utils.http import escape_leading_slashes

METHODS_WITH_A_BODY = ("DELETE", "PATCH", "POST", "PUT")


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
