from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, DjangoUserAdmin):
    # Adds an "Audit log" column linking to this user's entries (django-auditlog's mixin).
    show_auditlog_history_link = True
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Contact", {"fields": ("phone",)}))
