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
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get(**self.lookup(username, email, phone))
        except (ValueError, user_model.DoesNotExist):  # ValueError: no account can be spelled so
            user_model().set_password(password)  # same cost as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @staticmethod
    def lookup(username, email, phone):
        """The stored spelling of the identifier given, as a filter (ValueError: none)."""
        if email is not None:
            return {"email": normalize_email_address(email)}
        if phone is not None:
            return {"phone": normalize_phone(phone)}
        if username is not None:
            # NFKC, as create_user stores usernames (Django's login form does the same).
            return {"username": get_user_model().normalize_username(username)}
        raise ValueError("no identifier")
