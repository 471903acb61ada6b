"""Pitfall 3: what middleware can know about a token-authenticated request.

The lesson's probe, not trap code: installed for every request (config/settings.py) so
that the tour, the walkthrough and the tests can see what middleware sees.
"""


def describe(user):
    """The username, or "anonymous": all the probe ever records about a caller."""
    return user.get_username() if user.is_authenticated else "anonymous"


class RequestUserProbeMiddleware:
    """The lesson's probe: two headers saying who ``request.user`` is before and after the view.

    Each header holds only the username or "anonymous" (``describe``), never a key or any
    other credential, and the probe decides nothing: every request passes through.

    Django's AuthenticationMiddleware knows sessions only. DRF authenticates the token
    inside the view, so *before* the view a token-authenticated call looks anonymous
    (the trap: never make access or audit decisions there; ``pitfalls.py`` has one that
    does). DRF then sets the user on Django's request too, so code running *after*
    ``get_response`` sees the real user (the fix). The usernames go only to the caller
    who sent the credentials.
    """

    BEFORE = "X-User-Before-View"
    AFTER = "X-User-After-View"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        before = describe(request.user)  # what a decision here would see: "anonymous" for token calls
        response = self.get_response(request)
        response[self.BEFORE] = before
        response[self.AFTER] = describe(request.user)  # the fix: read it after the view
        return response
