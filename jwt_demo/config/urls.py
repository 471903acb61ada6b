from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/token/", include("jwt_auth.urls")),
    path("api/auth/", include("accounts.urls")),
]
