"""The ASGI application: HTTP to Django, WebSockets to the consumers.

    browser ──cookie──▶ AllowedHostsOriginValidator ─▶ AuthMiddlewareStack ─▶ URLRouter ─▶ consumer
    script ──?ticket=─▶ AllowedHostsOriginValidator ─▶ TicketAuthMiddleware ─▶ ...

A browser sends its session cookie with every WebSocket handshake, even one that a page
on another site opens: the Origin check is what stops that page (pitfall 4).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django first: the imports below read the settings and the models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from accounts.tickets import TicketAuthMiddleware  # noqa: E402
from chat.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(TicketAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
