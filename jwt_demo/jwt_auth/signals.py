"""djwto's six signals, sent over SimpleJWT with djwto's sender strings.

Connect a handler with the sender constant imported from here::

    import jwt_auth.signals as signals

    def handler(sender, **kwargs): ...

    signals.jwt_logged_in.connect(handler, sender=signals.LOGIN_SENDER)

Django matches a sender by identity (``id(sender)``), not by equality. djwto sends
``type(self).__name__`` and its documentation connects with the literal
``"GetTokensView"``: that works on CPython only because it interns identifier-like string
literals and class names, so both are one object. A sender string built at run time
(joined, read from settings) is another object with the same text and receives nothing
(README, pitfall 9). An imported constant is the very object sent, by construction.

What a receiver written for djwto gets here, signal by signal, and what differs (claims,
timing): README.md, "djwto parity".
"""

from django.dispatch import Signal

# Successful login.                kwargs: request, refresh_claims, access_claims
jwt_logged_in = Signal()
# Failed login, for any reason.    kwargs: request, error (a JSON string)
jwt_login_fail = Signal()
# A refresh token was blacklisted. kwargs: request, jti
jwt_blacklisted = Signal()
# A token passed /api/token/verify/. kwargs: request
jwt_token_validated = Signal()
# A new access token was issued from a refresh token. kwargs: request, refresh_claims, access_claims
jwt_access_refreshed = Signal()
# The refresh token was rotated (a new one issued).   kwargs: request, refresh_claims, access_claims
jwt_refresh_updated = Signal()

# The sender strings djwto uses (its view class names). Import these to connect.
LOGIN_SENDER = "GetTokensView"
BLACKLIST_SENDER = "BlackListTokenView"
VALIDATE_SENDER = "ValidateTokensView"
REFRESH_ACCESS_SENDER = "RefreshAccessView"
UPDATE_REFRESH_SENDER = "UpdateRefreshView"
