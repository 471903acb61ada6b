from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin

from .models import Note, Tag


@admin.register(Note)
class NoteAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["title", "owner"]
    list_select_related = ["owner"]
    filter_horizontal = ["tags"]
    show_auditlog_history_link = True


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
