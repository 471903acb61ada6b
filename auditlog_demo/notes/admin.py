from auditlog.mixins import AuditlogHistoryAdminMixin
from django import forms
from django.contrib import admin

from .models import Note, Tag
from .serializers import BODY_MAX_LENGTH, MAX_TAGS


class NoteAdminForm(forms.ModelForm):
    """The API's bounds, in the admin too.

    The OpenAPI schema promises every note a body of at most BODY_MAX_LENGTH characters
    and at most MAX_TAGS tags; a note saved here beyond them would make the API answer
    what its own schema says cannot happen.
    """

    body = forms.CharField(required=False, max_length=BODY_MAX_LENGTH, widget=forms.Textarea)

    class Meta:
        model = Note
        fields = ["title", "body", "owner", "tags"]

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"A note has at most {MAX_TAGS} tags ({len(tags)} chosen).")
        return tags


@admin.register(Note)
class NoteAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    form = NoteAdminForm
    list_display = ["title", "owner"]
    list_select_related = ["owner"]
    filter_horizontal = ["tags"]
    show_auditlog_history_link = True


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
