"""One normalization for phone numbers, used by the import, the sign-up and the matching.

Google's libphonenumber (the `phonenumbers` package) reads a number as people write it:
"+44 (0) 20 7946 0958" is +442079460958 (the "(0)" is the trunk prefix a caller from
abroad leaves out), and digits in any script ("+٤٤ ٢٠ ..." in Arabic-Indic) are digits.
"""

import re
import unicodedata

import phonenumbers

# Formatting people type around digits: spaces, dashes, dots, slashes, parentheses.
_FORMATTING = re.compile(r"[\s\-./()]")
# E.164 allows at most 15 digits; fewer than 6 is not a reachable number anywhere.
_PHONE = re.compile(r"\+?[0-9]{6,15}")


class InvalidPhone(ValueError):
    pass


def ascii_digits(text):
    """Every decimal digit of any script -> 0-9, and a fullwidth plus -> +."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text).replace("\uff0b", "+")


def normalize_phone(value, phone_code=""):
    """``" +49 (151) 123-4567 "`` -> ``"+491511234567"``; raise InvalidPhone otherwise.

    A number with + (or a separate ``phone_code``) becomes E.164. One without stays its
    digits: without a country, "0151..." cannot be told apart from a number abroad.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidPhone("Phone must be a string.")
    text = ascii_digits(str(value)).strip()
    if not _PHONE.fullmatch(_FORMATTING.sub("", text)):
        raise InvalidPhone("Enter a phone number of 6 to 15 digits, optionally starting with +.")
    if not text.startswith("+") and not phone_code:
        return _FORMATTING.sub("", text)
    region = phonenumbers.region_code_for_country_code(int(phone_code.lstrip("+"))) if phone_code else None
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone("Enter a phone number of 6 to 15 digits, optionally starting with +.") from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not _PHONE.fullmatch(e164):
        raise InvalidPhone("Enter a phone number of 6 to 15 digits, optionally starting with +.")
    return e164


def normalize_phone_code(value):
    """A separate country calling code: ``"49"`` or ``"+49"`` -> ``"+49"``."""
    code = _FORMATTING.sub("", ascii_digits(str(value))).lstrip("+")
    if isinstance(value, bool) or not isinstance(value, str | int) or not re.fullmatch(r"[0-9]{1,4}", code):
        raise InvalidPhone("Enter a country calling code of 1 to 4 digits, e.g. +49.")
    return f"+{code}"
