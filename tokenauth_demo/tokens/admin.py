from django.contrib import admin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .models import MaskedToken, PersonalDetail


@admin.register(PersonalDetail)
class PersonalDetailAdmin(admin.ModelAdmin):
    list_display = ["user", "address", "date_of_birth"]
    search_fields = ["user__username"]


# DRF's TokenAdmin lists every user's key in full: anyone with staff access (or a glance
# at a shared screen) could copy a live credential. Same admin, keys shown as a hint only.
admin.site.unregister(TokenProxy)


@admin.register(MaskedToken)
class MaskedTokenAdmin(TokenAdmin):
    list_display = ("key_hint", "user", "created")
