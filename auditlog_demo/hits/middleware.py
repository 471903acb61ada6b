import logging
import time

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from audit.client_ip import client_ip

from .models import ApiHit
from .printable import printable
from .user_agent import families

logger = logging.getLogger("auditlog_demo.hits")


def resolved_user(request):
    """The user DRF authenticated, or None. Never authenticates anything itself.

    DRF writes the user it authenticated back onto the Django request
    (``request._request.user``), so after the view ran ``request.user`` is DRF's answer
    (AnonymousUser for a missing or rejected token). When no view looked at the user
    (say an unknown /api/ URL), it is still AuthenticationMiddleware's unevaluated lazy
    object: leave it alone rather than spend queries on it.
    """
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user if user.is_authenticated else None


class APIHitLoggerMiddleware:
    """Record every /api/ request AFTER it was handled: one INSERT, never an exception.

    Nothing here looks at the Authorization header or the body, so neither can end up
    in the log; the query string (where tokens sometimes travel) is not stored either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(settings.HITS_PATH_PREFIX):
            return self.get_response(request)
        arrived = timezone.now()
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        try:
            self.record(request, response, arrived, duration_ms)
        except Exception:
            # Losing one log row must never cost the client its response. Log the failure
            # (method and path only: nothing that could hold a secret; escaped, so that a
            # path with a line break cannot forge a line in the log) and move on.
            logger.exception(
                "could not record API hit %s %s", printable(request.method, 10), printable(request.path, 255)
            )
        return response

    def record(self, request, response, arrived, duration_ms):
        browser, os_family, device = families(request.META.get("HTTP_USER_AGENT", ""))
        ApiHit.objects.create(
            timestamp=arrived,
            # Escaped and bounded: a NUL would make PostgreSQL refuse the row (hit lost).
            method=printable(request.method, ApiHit._meta.get_field("method").max_length),
            path=printable(request.path, ApiHit._meta.get_field("path").max_length),
            status_code=response.status_code,
            user=resolved_user(request),
            ip=client_ip(request),
            browser=browser,
            os=os_family,
            device=device,
            duration_ms=round(duration_ms, 3),
        )
