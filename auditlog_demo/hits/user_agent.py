"""Browser, OS and device family from a User-Agent string, with ua-parser 1.x.

ua-parser keeps a cache of recent strings, so repeated agents cost a dictionary lookup.
"""

import ua_parser

from .printable import printable

FAMILY_LENGTH = 64  # ApiHit.browser/os/device max_length


def families(user_agent):
    """``(browser, os, device)``; "Other" for what the rules do not recognise."""
    if not user_agent:
        return "", "", ""
    result = ua_parser.parse(user_agent).with_defaults()
    # A family can be a piece of the caller's string: escaped like the path (hits/printable.py).
    return tuple(
        printable(family, FAMILY_LENGTH)
        for family in (result.user_agent.family, result.os.family, result.device.family)
    )
