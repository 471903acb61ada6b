"""Text from a request made safe to store and to log: nothing can end or forge a line.

A request path or User-Agent is whatever the caller sent: ``%00`` arrives as a NUL
character (PostgreSQL refuses it in a text column: DataError, and the hit would be lost),
``%0a`` and ``%0d`` as a line break that forges a line in the server's log, U+202E as a
right-to-left override that makes a log read backwards. Django escapes these in its own
request log (``django.utils.log.log_response``, since 5.2.2); this is the same idea for
what the hit logger stores and logs.
"""

import unicodedata

# Control characters, format characters (bidi overrides, zero-width), line and paragraph
# separators, lone surrogates.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def escape_char(char):
    if char == "\\":
        return "\\\\"  # so that an escape in the output always means an escaped character
    if unicodedata.category(char) not in UNSAFE_CATEGORIES:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text, limit):
    """``text`` with every unsafe character escaped (``\\x00``, ``\\x0a``, ``\\u202e``),
    at most ``limit`` characters; a cut is marked with "…"."""
    escaped = "".join(escape_char(char) for char in text[: limit + 1])  # escaping never shortens
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"
