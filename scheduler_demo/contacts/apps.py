from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from background_task.signals import task_failed
        from celery.signals import task_failure

        from . import receivers
        from .dj_tasks import task_finished

        # A lazy "app_label.Model" sender: works with any AUTH_USER_MODEL.
        post_save.connect(
            receivers.mark_contacts_as_members,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="contacts.mark_contacts_as_members",
        )
        # A task that failed for good marks its import "failed", on each engine.
        task_failed.connect(receivers.mark_import_failed, dispatch_uid="contacts.mark_import_failed")
        task_finished.connect(receivers.mark_import_failed_django_tasks, dispatch_uid="contacts.failed_django_tasks")
        task_failure.connect(receivers.mark_import_failed_celery, dispatch_uid="contacts.failed_celery")
