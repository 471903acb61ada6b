from django.urls import path, re_path

from .consumers import ChatConsumer, NoSuchRoute, NotificationConsumer

ROOM = r"[a-z0-9][a-z0-9-]{0,49}"  # lower-case letters, digits and "-": a valid group name

websocket_urlpatterns = [
    re_path(rf"^ws/chat/(?P<room>{ROOM})/$", ChatConsumer.as_asgi()),
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    re_path(r"", NoSuchRoute.as_asgi()),  # last: anything else
]
