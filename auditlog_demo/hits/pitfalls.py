"""The hit log's trap (pitfall 5 of auditlog_demo): code that looks right and is not.

Only the trap tests use it (tests/test_pitfalls.py); no view or setting imports this module.
"""

from .models import ApiHit


def hit_logger_reading_the_user_first(get_response):
    """Pitfall 5: takes ``request.user`` before the view runs, as the API-hit middleware of
    ashfaque's drf_signal_simplejwt did. AuthenticationMiddleware knows sessions only, and
    DRF authenticates the bearer token inside the view: every token call is logged with no
    user. Fix: hits/middleware.py reads the user after the view (``resolved_user``)."""

    def middleware(request):
        user = request.user if request.user.is_authenticated else None  # DRF has not run yet
        response = get_response(request)
        ApiHit.objects.create(
            method=request.method, path=request.path, status_code=response.status_code, user=user, duration_ms=0
        )
        return response

    return middleware
