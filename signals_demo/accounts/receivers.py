from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Profile


# sender as "app_label.Model" (settings.AUTH_USER_MODEL), never a hard-coded User:
# the receiver keeps working when the project swaps in a custom user model.
@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:  # raw: loaddata is restoring rows, profiles included
        Profile.objects.create(user=instance)
    # Nothing else. In particular: never touch is_staff / is_superuser here
    # (see accounts/pitfalls.py for the receiver that does).
