"""Channel-layer group names: one group per room, one per user's notification feed.

Group names may hold ASCII letters, digits, "-", "_" and "." (under 100 characters);
room names are a-z, 0-9 and "-" (chat/routing.py), so each fits.
"""


def room_group(room):
    return f"chat.{room}"


def user_group(user_id):
    return f"notifications.{user_id}"


def account_group(user_id):
    """Every connection of one user: closed when the account is disabled or deleted."""
    return f"account.{user_id}"


def session_group(session_key):
    """Every connection of one browser session: closed when that session logs out."""
    return f"session.{session_key}"
