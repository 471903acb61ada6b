"""One normalization for phone numbers, used by the import, the sign-up and the matching."""

import re

# Formatting people type around digits: spaces, dashes, dots, slashes, parentheses.
_FORMATTING = re.compile(r"[\s\-./()]")
# E.164 allows at most 15 digits; fewer than 6 is not a reachable number anywhere.
_PHONE = re.compile(r"\+?\d{6,15}")


class InvalidPhone(ValueError):
    pass


def normalize_phone(value):
    """``" +49 (151) 123-4567 "`` -> ``"+491511234567"``; raise InvalidPhone otherwise.

    Deliberately simple (no country database): "+49 151..." and "0151..." stay two
    different numbers. A real product would use the `phonenumbers` package.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidPhone("Phone must be a string.")
    phone = _FORMATTING.sub("", str(value))
    if not _PHONE.fullmatch(phone):
        raise InvalidPhone("Enter a phone number of 6 to 15 digits, optionally starting with +.")
    return phone


def normalize_phone_code(value):
    """A separate country calling code: ``"49"`` or ``"+49"`` -> ``"+49"``."""
    code = _FORMATTING.sub("", str(value)).lstrip("+")
    if isinstance(value, bool) or not isinstance(value, str | int) or not re.fullmatch(r"\d{1,4}", code):
        raise InvalidPhone("Enter a country calling code of 1 to 4 digits, e.g. +49.")
    return f"+{code}"
