from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self):
        from . import receivers

        # A lazy "app_label.Model" sender: works with any AUTH_USER_MODEL.
        post_save.connect(
            receivers.mark_contacts_as_members,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="contacts.mark_contacts_as_members",
        )
