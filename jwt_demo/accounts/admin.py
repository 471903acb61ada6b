from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class DemoUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Phone", {"fields": ("phone",)}))
    list_display = ("username", "email", "phone", "is_active", "is_staff")
    search_fields = ("username", "email", "phone")
