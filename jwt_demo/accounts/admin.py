from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class UserWithPhoneAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Phone", {"fields": ("phone",)}))
    # The add form asks for the email too: it is unique and required, so a form without it
    # would store "" for every new user and the second one would fail (an IntegrityError).
    add_fields = ("username", "email", "phone", "usable_password", "password1", "password2")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": add_fields}),)
    list_display = ("username", "email", "phone", "is_active", "is_staff")
    search_fields = ("username", "email", "phone")
