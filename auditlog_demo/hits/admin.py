from django.contrib import admin

from .models import ApiHit


@admin.register(ApiHit)
class ApiHitAdmin(admin.ModelAdmin):
    """Read-only: hits are written by the middleware, removed by ``prune_hits``."""

    list_display = [
        "timestamp",
        "method",
        "path",
        "status_code",
        "user",
        "ip",
        "browser",
        "os",
        "device",
        "duration_ms",
    ]
    list_filter = ["method", "status_code", "browser", "os", "device"]
    list_select_related = ["user"]
    search_fields = ["path", "user__username", "ip"]
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
