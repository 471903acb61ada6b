from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "tokens"
    verbose_name = "Token authentication"

    def ready(self):
        # Connect here, not at import time of models.py: ready() runs once, after every
        # app (and the user model) is loaded, like django.contrib.auth does it.
        from . import receivers

        receivers.connect()
