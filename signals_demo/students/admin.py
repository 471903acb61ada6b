from django.contrib import admin

from .models import Course, PersonalDetail, Student


class PersonalDetailInline(admin.StackedInline):
    model = PersonalDetail
    can_delete = False


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "age", "mobileno"]
    inlines = [PersonalDetailInline]

    def get_inline_instances(self, request, obj=None):
        # Not on the add page: saving the Student fires post_save, whose receiver creates
        # the PersonalDetail; the inline would then INSERT a second one (IntegrityError).
        # Once the student exists, its change page edits the detail the receiver made.
        return super().get_inline_instances(request, obj) if obj is not None else []


admin.site.register(Course)
