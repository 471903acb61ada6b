from django.conf import settings
from django.db import models


class PersonalDetail(models.Model):
    """Profile data created for every new user by a post_save receiver (see receivers.py).

    The seed's model also had a required ``ImageField``; it is left out here so the demo
    needs no Pillow and no media storage.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_detail")
    address = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"personal detail of {self.user}"
