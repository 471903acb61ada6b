from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.views import login_view, logout_view
from activity.views import event_list
from students.views import StudentViewSet

router = DefaultRouter()
router.register("students", StudentViewSet)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/login/", login_view, name="login"),
    path("api/auth/logout/", logout_view, name="logout"),
    path("api/events/", event_list, name="events"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),  # OpenAPI 3 (YAML; ?format=json)
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/", include(router.urls)),
]

# Uploaded pictures under /media/, in development only: static() adds nothing when DEBUG is
# off. In production the web server (or object storage) serves MEDIA_ROOT, not Django.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
