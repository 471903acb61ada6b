from django.contrib import admin

from audit.admin import AddressLookupsChecked

from .models import ApiHit


@admin.register(ApiHit)
class ApiHitAdmin(AddressLookupsChecked, admin.ModelAdmin):
    """Read-only: hits are written by the middleware, removed by ``prune_hits``. A malformed
    ``?ip=`` in the URL is a 400, not PostgreSQL's DataError (audit/admin.py says why)."""

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
