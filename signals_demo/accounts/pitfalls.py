"""The trap receivers: connected only by tests and the tour, never by the app."""


def make_every_user_superuser(sender, instance, created, **kwargs):
    """The signals tutorial's receiver. Every account that signs up becomes an admin,
    and the extra save() re-enters post_save (a second send with created=False)."""
    if created:
        instance.is_superuser = True
        instance.is_staff = True
        instance.save()
