"""Why the server closed a WebSocket: the close codes a client can see.

RFC 6455 leaves 4000-4999 to applications; these mirror the HTTP status a request would
get. A connection that a page on another site opens never reaches a consumer: the Origin
check refuses its handshake with HTTP 403 (a browser reports close code 1006).
"""

NOT_LOGGED_IN = 4401  # no session, or no valid ticket
NO_SUCH_ROUTE = 4404  # not ws/chat/<room>/ (room: a-z, 0-9, "-", 50 at most) nor ws/notifications/
UNSUPPORTED = 4415  # a binary frame, or any frame sent to the notification feed
TOO_LARGE = 4413  # a frame over CHAT_FRAME_MAX_BYTES or a message over CHAT_MESSAGE_MAX_CHARS
TOO_MANY = 4429  # more than CHAT_RATE_MESSAGES frames in CHAT_RATE_SECONDS
