"""django-auditlog's LogEntry admin, refusing a malformed address in its URL.

The admin turns any query parameter naming a field into a filter: ``?remote_addr=abc``
becomes ``LogEntry.objects.filter(remote_addr="abc")``. SQLite compares text, but
PostgreSQL's ``inet`` column refuses "abc" only when the query runs, a DataError the admin
does not catch: a 500. Refusing the lookup first answers 400 (Django's
DisallowedModelAdminLookup); the search box is the way to look up part of an address.
"""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address


def is_an_address(value):
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return False
    return True


class AddressLookupsChecked:
    """For a ModelAdmin: every ``<address_field>``, ``__exact`` or ``__in`` value from the
    URL must be an IP address; ``__isnull`` and text lookups (``__startswith``) pass."""

    address_fields = ()

    def lookup_allowed(self, lookup, value, request=None):
        field, _, kind = lookup.partition("__")
        if field in self.address_fields and kind in ("", "exact", "in"):
            values = value if isinstance(value, list) else str(value).split(",")
            if not all(is_an_address(str(one)) for one in values):
                return False
        return super().lookup_allowed(lookup, value, request)


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AddressCheckedLogEntryAdmin(AddressLookupsChecked, LogEntryAdmin):
    address_fields = ("remote_addr",)
