"""SimpleJWT's ``flushexpiredtokens``, which also prunes the revocation tables.

jwt_auth comes before SimpleJWT's blacklist app in INSTALLED_APPS, so Django runs this
command under the same name: the daily job that already existed keeps both tables small.
"""

from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.management.commands import flushexpiredtokens

from jwt_auth.models import RevokedToken, UserTokenCutoff


class Command(flushexpiredtokens.Command):
    help = "Delete expired refresh tokens (SimpleJWT), revocations and cutoffs (jwt_auth)."

    def handle(self, *args, **kwargs):
        super().handle(*args, **kwargs)
        RevokedToken.objects.filter(expires_at__lte=timezone.now()).delete()
        UserTokenCutoff.objects.filter(expires_at__lte=timezone.now()).delete()
