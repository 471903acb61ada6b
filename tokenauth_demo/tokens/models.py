from django.conf import settings
from django.db import models
from rest_framework.authtoken.models import TokenProxy


class PersonalDetail(models.Model):
    """Profile data created for every new user by a post_save receiver (see receivers.py).

    The token-auth tutorial's model also had a required ``ImageField``; it is left out here so the demo
    needs no Pillow and no media storage.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_detail")
    address = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"personal detail of {self.user}"


class MaskedToken(TokenProxy):
    """DRF's Token as the admin shows it: never the whole key.

    A key is a live credential stored in clear (pitfall 1 explains why knox hashes them).
    DRF's own ``TokenAdmin`` lists every key, and Django's admin writes ``str(token)``
    (the key, in DRF) into its "Recent actions" log whenever staff add or delete one.
    Here the list shows the first characters only and ``str()`` names the user instead.
    """

    class Meta:
        proxy = True
        verbose_name = "token"
        verbose_name_plural = "tokens"

    @property
    def key_hint(self):
        return f"{self.key[:6]}…" if self.key else ""

    def __str__(self):
        return f"token of {self.user}"
