from django.contrib import admin

from .models import UserContact, UserContactsImport


@admin.register(UserContactsImport)
class UserContactsImportAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "source", "status", "total", "processed", "created", "duplicates", "invalid"]
    list_filter = ["status", "source"]
    exclude = ["rows"]


@admin.register(UserContact)
class UserContactAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "first_name", "last_name", "email", "phone_number", "source", "state"]
    list_filter = ["state", "source"]
    search_fields = ["first_name", "last_name", "email", "phone_number"]
