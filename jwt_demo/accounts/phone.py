"""Phone numbers are stored in E.164 (``+14155552671``): one spelling per number, so a
unique index can tell duplicates apart and a login lookup is a plain equality.

We use ``phonenumbers`` (the Python port of Google's libphonenumber, the "lite" build
without geocoding/carrier data) rather than a regex: what a valid number looks like
depends on the country (lengths, area codes, trunk prefixes) and changes over time.
"""

import phonenumbers
from django.conf import settings


def normalize_phone(raw, region=None):
    """``"(415) 555-2671"`` -> ``"+14155552671"``; ``ValueError`` when not a valid number."""
    try:
        number = phonenumbers.parse(raw, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError("Enter a valid phone number.") from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError("Enter a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
