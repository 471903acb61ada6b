from django.apps import AppConfig


class AuditConfig(AppConfig):
    """No models: the glue between django-auditlog, DRF and the proxy settings."""

    name = "audit"
    verbose_name = "Audit glue"
