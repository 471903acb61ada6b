"""Connection tickets: how a client without a browser's session opens a WebSocket.

A browser's handshake carries the session cookie; a script has none, and a WebSocket
handshake cannot carry a JSON body. So the script trades its password for a ticket over
HTTP (POST /api/auth/ticket/), then connects to ``ws/chat/<room>/?ticket=<ticket>``.

A query string ends up in access logs, which is why a ticket opens one connection only
and only within CHAT_TICKET_MAX_AGE_S seconds: a ticket read from a log is already spent.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from .models import ConnectionTicket


def hashed(key):
    return hashlib.sha256(key.encode()).hexdigest()


def issue_ticket(*, user):
    """A new ticket for ``user``; the user's spent-by-age tickets are deleted meanwhile."""
    ConnectionTicket.objects.filter(user=user, created_at__lt=oldest_valid()).delete()
    key = secrets.token_urlsafe(32)
    ConnectionTicket.objects.create(key_hash=hashed(key), user=user)
    return key


def redeem_ticket(*, key):
    """The ticket's user, once: the first redeemer deletes the row, a second finds none."""
    ticket = ConnectionTicket.objects.select_related("user").filter(key_hash=hashed(key)).first()
    if ticket is None:
        return None
    deleted, _ = ConnectionTicket.objects.filter(pk=ticket.pk).delete()
    if not deleted or ticket.created_at < oldest_valid() or not ticket.user.is_active:
        return None  # spent by another connection meanwhile, too old, or the user is disabled
    return ticket.user


def oldest_valid():
    return timezone.now() - timedelta(seconds=settings.CHAT_TICKET_MAX_AGE_S)


class TicketAuthMiddleware:
    """Sets scope["user"] from ``?ticket=`` when the session did not log anyone in.

    Inside AuthMiddlewareStack: a session user wins, and a ticket in the URL of a browser
    that is logged in is left unspent.
    """

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        keys = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("ticket", [])
        user = scope.get("user")
        if keys and (user is None or not user.is_authenticated):
            redeemed = await database_sync_to_async(redeem_ticket)(key=keys[0][:100])
            if redeemed is not None:
                scope = {**scope, "user": redeemed}
        return await self.inner(scope, receive, send)
