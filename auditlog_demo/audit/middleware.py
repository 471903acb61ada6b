from auditlog.middleware import AuditlogMiddleware
from django.conf import settings

from .client_ip import client_ip, from_trusted_proxy


class SessionAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware for session-authenticated pages (the admin).

    Two changes to the stock class:

    * ``remote_addr`` comes from :func:`client_ip`; the stock one believes any
      X-Forwarded-For header, so a client could write any address into the audit log.
      ``remote_port`` (X-Forwarded-Port) is likewise believed only from our proxies.
    * /api/ requests are passed through untouched. This middleware runs before DRF
      authenticates the token, so it would see an anonymous user there (pitfall 1);
      the API views set the actor themselves (:func:`audit.actor.audit_context`).
    """

    def __call__(self, request):
        if request.path.startswith(settings.HITS_PATH_PREFIX):
            return self.get_response(request)
        return super().__call__(request)

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        if not from_trusted_proxy(request):
            return None
        return AuditlogMiddleware._get_remote_port(request)
