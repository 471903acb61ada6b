"""SimpleJWT's ``flushexpiredtokens``, which also prunes the revocation table.

jwt_auth comes before SimpleJWT's blacklist app in INSTALLED_APPS, so Django runs this
command under the same name: the daily job that already existed keeps both tables small.
"""

from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.management.commands import flushexpiredtokens

from jwt_auth.models import RevokedToken


class Command(flushexpiredtokens.Command):
    help = "Delete expired refresh tokens (SimpleJWT) and expired revocations (jwt_auth.RevokedToken)."

    def handle(self, *args, **kwargs):
        super().handle(*args, **kwargs)
        RevokedToken.objects.filter(expires_at__lte=timezone.now()).delete()
