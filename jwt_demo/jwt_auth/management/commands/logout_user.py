from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jwt_auth.services import logout_everywhere


class Command(BaseCommand):
    help = "Log a user out everywhere: blacklist their refresh tokens and revoke their access tokens."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        count = logout_everywhere(user)
        self.stdout.write(f"{username}: {count} refresh token(s) blacklisted, their access tokens revoked.")
