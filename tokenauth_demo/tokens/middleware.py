"""Pitfall 3: what middleware can know about a token-authenticated request."""


def describe(user):
    return user.get_username() if user.is_authenticated else "anonymous"


class RequestUserProbeMiddleware:
    """Adds two headers showing who ``request.user`` is before and after the view.

    Django's AuthenticationMiddleware knows sessions only. DRF authenticates the token
    inside the view, so *before* the view a token-authenticated call looks anonymous
    (the trap: never make access or audit decisions there). DRF then sets the user on
    Django's request too, so code running *after* ``get_response`` sees the real user
    (the fix). The usernames go only to the caller who sent the credentials.
    """

    BEFORE = "X-User-Before-View"
    AFTER = "X-User-After-View"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        before = describe(request.user)  # the trap: always "anonymous" for token calls
        response = self.get_response(request)
        response[self.BEFORE] = before
        response[self.AFTER] = describe(request.user)  # the fix: read it after the view
        return response
