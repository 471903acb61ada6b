from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class StudentsConfig(AppConfig):
    name = "students"

    def ready(self):
        from . import receivers

        # pre_/post_migrate are sent once per app in INSTALLED_APPS on every migrate:
        # sender=self keeps these to one call per migrate, for this app only.
        pre_migrate.connect(receivers.announce_migrate, sender=self, dispatch_uid="students.announce_migrate")
        post_migrate.connect(receivers.create_default_courses, sender=self, dispatch_uid="students.default_courses")
