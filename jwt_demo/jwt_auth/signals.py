"""djwto's six signals, sent over SimpleJWT with djwto's sender strings and kwargs.

A handler connected exactly as in djwto's documentation works unchanged::

    import jwt_auth.signals as signals

    def handler(sender, **kwargs): ...

    signals.jwt_logged_in.connect(handler, sender="GetTokensView")

The senders are strings, as in djwto. Django matches a sender by identity, which works
for strings because Python interns identifier-like string literals: ``"GetTokensView"``
written in your module is the very object sent here.
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

# The sender strings djwto uses (its view class names).
LOGIN_SENDER = "GetTokensView"
BLACKLIST_SENDER = "BlackListTokenView"
VALIDATE_SENDER = "ValidateTokensView"
REFRESH_ACCESS_SENDER = "RefreshAccessView"
UPDATE_REFRESH_SENDER = "UpdateRefreshView"
