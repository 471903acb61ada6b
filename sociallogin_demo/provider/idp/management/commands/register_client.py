"""``manage.py register_client --client-id ID --secret S --redirect-uri URI``: the demo as
an OAuth client of this provider, and the provider's users (as a Google account has them)."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

# (username, email, verified by the provider?): the provider's own accounts.
USERS = [
    ("alice", "alice@example.com", True),
    ("mallory", "bob@example.com", False),  # claims bob's address, never proved it
    ("carol", "carol@example.com", True),
]


class Command(BaseCommand):
    help = "Register the demo as a client (exact redirect URI, PKCE, RS256) and create the provider's users."

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--secret", required=True)
        parser.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
        parser.add_argument("--password", required=True, help="every provider user's password")

    def handle(self, *args, client_id, secret, redirect_uris, password, **options):
        Application.objects.update_or_create(
            client_id=client_id,
            defaults={
                "name": "sociallogin_demo",
                "client_secret": secret,
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": " ".join(redirect_uris),  # compared exactly, never as a prefix
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,  # no consent screen: the demo is the provider's own app
            },
        )
        verified, _ = Group.objects.get_or_create(name="email-verified")
        for username, email, is_verified in USERS:
            user, _ = User.objects.update_or_create(username=username, defaults={"email": email})
            user.set_password(password)
            user.save()
            if is_verified:
                user.groups.add(verified)
            else:
                user.groups.remove(verified)
        self.stdout.write(f"client {client_id} registered for {', '.join(redirect_uris)}; users {len(USERS)}")
