from django.contrib import admin

from .models import Course, PersonalDetail, Student


class PersonalDetailInline(admin.StackedInline):
    model = PersonalDetail
    can_delete = False


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "age", "mobileno"]
    inlines = [PersonalDetailInline]


admin.site.register(Course)
