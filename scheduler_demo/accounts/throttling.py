"""The import throttle. Sign-up, email verification and login use the plumbing's
``AccountThrottle`` as it is (``throttle_scope = "signup"`` / ``"login"``)."""

from rest_framework.throttling import ScopedRateThrottle

from config.plumbing.throttling import AccountThrottle


class ImportThrottle(AccountThrottle):
    """Imports per user: ``DEFAULT_THROTTLE_RATES["imports"]`` (env IMPORT_THROTTLE_RATE).

    Why not AccountThrottle as it is: an import is a PUT (AccountThrottle counts POSTs
    only), and it is counted per user, not per address. An import tells its user which
    contacts are members already: without a limit, a script could upload address after
    address and learn who has an account here.
    """

    def allow_request(self, request, view):
        if request.method != "PUT":
            return True
        return ScopedRateThrottle.allow_request(self, request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
