import io

from django.core.management import call_command

from social.management.commands.tour import BOB_PASSWORD, PROVIDER_PASSWORD

STEPS = [
    "Start a real OpenID Connect provider, then this site pointed at it",
    'alice presses "Sign in with Local identity provider"',
    "mallory claims bob@example.com at the provider, which never verified it",
    "A mobile app: the provider's ID token in, a SimpleJWT pair out (allauth's headless API)",
    "An ID token the provider issued to another app, replayed here",
    "What the database keeps of the provider",
]


def test_the_tour_runs_every_step_twice_on_one_database(transactional_db):
    for _ in range(2):  # the second run removes the first one's users
        out = io.StringIO()
        call_command("tour", stdout=out)
        text = out.getvalue()
        assert text.count("Tour complete") == 1 and "Traceback" not in text
        assert [line.split(". ", 1)[1] for line in text.splitlines() if line.startswith("Step ")] == STEPS
        assert "-> site     /accounts/oidc/localidp/login/callback/?code=" in text
        assert PROVIDER_PASSWORD not in text and BOB_PASSWORD not in text
