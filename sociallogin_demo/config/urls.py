from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from social.views import SignOutView, me_view, profile_page

urlpatterns = [
    path("", RedirectView.as_view(url="/accounts/login/")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),  # sign-in pages, the provider dance, linking
    path("_allauth/", include("allauth.headless.urls")),  # the JSON API for apps
    path("profile/", profile_page, name="profile"),
    path("api/me/", me_view, name="me"),
    path("api/auth/logout/", SignOutView.as_view(), name="logout"),  # the refresh token blacklisted
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),  # OpenAPI 3 (YAML; ?format=json)
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
