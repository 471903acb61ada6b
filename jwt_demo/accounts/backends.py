from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import normalize_email_address
from .phone import normalize_phone


class UsernameEmailPhoneBackend(ModelBackend):
    """``authenticate(request, username=... | email=... | phone=..., password=...)``.

    ModelBackend's rules are kept: inactive users cannot log in, and a missing user still
    costs one password hash (so response time does not reveal which accounts exist).
    """

    def authenticate(self, request, username=None, password=None, email=None, phone=None, **kwargs):
        if password is None:
            return None
        if email is not None:
            lookup = {"email": normalize_email_address(email)}
        elif phone is not None:
            try:
                lookup = {"phone": normalize_phone(phone)}
            except ValueError:
                return None
        elif username is not None:
            lookup = {"username": username}
        else:
            return None
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get(**lookup)
        except user_model.DoesNotExist:
            user_model().set_password(password)  # same cost as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
