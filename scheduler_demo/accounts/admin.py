from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from contacts.members import link_contacts_to

from .models import User


@admin.register(User)
class UserAdminWithVerifiedAddresses(UserAdmin):
    """Django's UserAdmin, plus the phone and the verified flags. Staff who check a phone
    (this demo sends no SMS) tick phone_verified; saving links the contacts holding it."""

    fieldsets = (*UserAdmin.fieldsets, ("Addresses", {"fields": ("phone", "email_verified", "phone_verified")}))
    list_display = (*UserAdmin.list_display, "email_verified", "phone_verified")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        link_contacts_to(obj)
