"""Trap code for the pitfalls: what you get without this demo's fixes.

Only the trap tests and the tour use these (tests/test_pitfalls.py, tests/trap_urls.py,
tests/test_signals.py); no view, URL or setting of the demo imports this module.
"""

from contextlib import contextmanager

from django.core.cache import cache
from django.http import JsonResponse
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token

from . import receivers
from .authentication import ExpiringTokenAuthentication
from .middleware import describe
from .models import PersonalDetail
from .views import SecureView


def secure_view_under_drf_tokens():
    """Pitfall 1's trap: the secure page authenticated by DRF's own TokenAuthentication.

    DRF's Token records when it was created, but TokenAuthentication never looks: a key
    issued years ago (copied from an old laptop, a log, a backup) opens the page today.
    """
    return SecureView.as_view(authentication_classes=[TokenAuthentication])


class SessionFirstSecureView(SecureView):
    """Pitfall 2's trap: SessionAuthentication listed first.

    DRF takes WWW-Authenticate from the *first* class. SessionAuthentication has none,
    so a request without valid credentials gets 403 instead of 401. The fix is
    ``views.TokenFirstSecureView``: the same two classes, the token first.
    """

    authentication_classes = [SessionAuthentication, ExpiringTokenAuthentication]


class PerUserBudgetBeforeTheView:
    """Pitfall 3's trap: a per-user request budget, decided in middleware before the view.

    It counts requests per ``request.user`` and refuses (429) past ``BUDGET`` a minute.
    Before the view, every token-authenticated caller is "anonymous": they all share one
    budget, so one user's calls use up another's. (A decision needing the token's user
    belongs in a DRF throttle or permission class, which runs after authentication.)
    """

    BUDGET = 2

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bucket = f"pitfall-3-budget:{describe(request.user)}"
        cache.add(bucket, 0, timeout=60)
        if cache.incr(bucket) > self.BUDGET:
            return JsonResponse({"detail": "Request budget used up."}, status=429)
        return self.get_response(request)


@contextmanager
def drf_tokens_alone():
    """Pitfall 4's trap: DRF's ``rest_framework.authtoken`` with no password receivers.

    A ``Token`` row knows nothing about the password: changing it (shell, admin, reset)
    leaves every key issued before working, so whoever copied a key keeps the account.
    Inside this block the demo's pre_save/post_save receivers are disconnected.
    """
    receivers.disconnect_password_change_receivers()
    try:
        yield
    finally:
        receivers.connect()


def tutorial_after_save_user(sender, instance, created, **kwargs):
    """The token-auth tutorial's post_save receiver, copied as it was written: never do this.

    It makes every new user staff and superuser (anyone who can sign up owns the admin
    site), and its ``instance.save()`` sends post_save for the user a second time. The
    demo's receiver is ``receivers.create_token_and_personal_detail``.
    """
    if created:
        instance.is_superuser = True
        instance.is_staff = True
        instance.save()
        pd = PersonalDetail()
        pd.user = instance
        pd.save()
        t = Token()
        t.user = instance
        t.save()
