from auditlog.context import set_actor

from .client_ip import client_ip


def audit_context(request):
    """``with audit_context(request):`` names the request's user as actor of every LogEntry
    written inside, with the client's (proxy-aware) IP as remote_addr.

    The fix for pitfall 1: call it from DRF's ``perform_create/update/destroy``, which run
    after DRF authenticated the bearer token, so ``request.user`` is the real user. Any
    middleware runs too early to know it.
    """
    user = request.user if request.user.is_authenticated else None
    return set_actor(user, remote_addr=client_ip(request))
