from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # The seed's base URL: http://127.0.0.1:8000/demotoken/
    path("demotoken/", include("demotokenauth.urls")),
]
