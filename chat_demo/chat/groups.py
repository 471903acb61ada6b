"""Channel-layer group names: one group per room, one per user's notification feed.

Group names may hold ASCII letters, digits, "-", "_" and "." (under 100 characters);
room names are a-z, 0-9 and "-" (chat/routing.py), so each fits.
"""


def room_group(room):
    return f"chat.{room}"


def user_group(user_id):
    return f"notifications.{user_id}"
