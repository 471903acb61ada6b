from django.apps import AppConfig


class HitsConfig(AppConfig):
    name = "hits"
    verbose_name = "API hits"
