from django.apps import AppConfig


class JwtAuthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jwt_auth"

    def ready(self):
        # Connect the audit-log receivers (jwt_auth/receivers.py), as djwto's docs show.
        # and register the system check that the revocation cache is shared.
        from . import checks, receivers  # noqa: F401
