from django.contrib import admin

from .models import PersonalDetail


@admin.register(PersonalDetail)
class PersonalDetailAdmin(admin.ModelAdmin):
    list_display = ["user", "address", "date_of_birth"]
    search_fields = ["user__username"]
