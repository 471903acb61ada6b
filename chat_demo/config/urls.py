from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import login_view, ticket_view
from chat.routing import ROOM
from chat.views import history_view, room_page

urlpatterns = [
    path("", RedirectView.as_view(url="/chat/lobby/")),
    path("admin/", admin.site.urls),
    path("login/", login_view, name="login"),  # the browser's session: Django's form, throttled
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST only (Django 5)
    re_path(rf"^chat/(?P<room>{ROOM})/$", room_page, name="room"),
    path("api/auth/ticket/", ticket_view, name="ticket"),
    re_path(rf"^api/rooms/(?P<room>{ROOM})/messages/$", history_view, name="history"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),  # OpenAPI 3 (YAML; ?format=json)
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
