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
from django.db import models


class AddressLookupsChecked:
    """For a ModelAdmin: a value from the URL for one of the model's GenericIPAddressFields
    (``field``, ``field__exact``, ``field__in``) must pass the field's own validators;
    ``__isnull`` and text lookups (``__startswith``) pass as they are."""

    def lookup_allowed(self, lookup, value, request=None):
        name, _, kind = lookup.partition("__")
        field = next((f for f in self.model._meta.concrete_fields if f.name == name), None)
        if isinstance(field, models.GenericIPAddressField) and kind in ("", "exact", "in"):
            values = value if isinstance(value, list) else str(value).split(",")
            try:
                for one in values:
                    field.run_validators(str(one))
            except ValidationError:
                return False
        return super().lookup_allowed(lookup, value, request)


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AddressCheckedLogEntryAdmin(AddressLookupsChecked, LogEntryAdmin):
    """django-auditlog's admin; ``remote_addr`` is the address field it checks."""
