"""The class_prepared receiver (connected in apps.py, see there for why)."""

PREPARED_MODELS = []  # "app_label.ModelName" in the order Django built them


def remember_prepared_model(sender, **kwargs):
    # sender is the model class itself, fully built: fields and Meta are final.
    PREPARED_MODELS.append(sender._meta.label)
