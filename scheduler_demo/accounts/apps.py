from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save, pre_save


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from . import receivers

        # A lazy "app_label.Model" sender follows AUTH_USER_MODEL; dispatch_uid makes a
        # second ready() a no-op instead of a second receiver.
        user_model = settings.AUTH_USER_MODEL
        pre_save.connect(
            receivers.notice_a_password_change, sender=user_model, dispatch_uid=receivers.PASSWORD_CHECK_UID
        )
        post_save.connect(
            receivers.end_tokens_after_a_password_change, sender=user_model, dispatch_uid=receivers.TOKEN_END_UID
        )
