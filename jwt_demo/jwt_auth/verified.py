"""Tokens whose signature this process has checked already: each is verified once, not per request.

A client sends the same access token with every request for its five minutes, and
verifying it is most of what SimpleJWT's authentication costs: PyJWT parses the token,
checks its characters, its signature, ``exp``, ``iss`` and ``aud`` (``nox -s bench``:
about 60 µs a request, more than the revocation check and the view together). Here
the payload of a token that passed is kept, keyed by the whole token string, and a
request that sends that string again skips the parsing and the signature. The same idea,
elsewhere: Envoy's ``jwt_authn`` filter (``jwt_cache_config``), PostgREST's
``jwt-cache-max-lifetime``.

What is checked again on every use, so that the answer is the one a full verification gives:

- SimpleJWT's ``Token.verify``: ``exp`` with its leeway, the ``jti``, the token type and,
  for a refresh token, the blacklist (its ``BlacklistMixin``). A token that fails one now is
  forgotten and verified from scratch, so the refusal is SimpleJWT's own ("Token is expired");
- the revocation list and the user's cutoff: not here, in jwt_auth/revocation.py, per request.

Why this is safe: only a token that passed full verification is kept, and only under its
exact string, so another string (a changed signature, another ``alg``) is a miss and gets
full verification. The signing key is read from the settings when a process starts, as
SimpleJWT's own ``state.token_backend`` does: changing it is a restart, which empties this.

Its size is bounded: at most ``MAX_ENTRIES`` tokens of at most ``MAX_TOKEN_LENGTH``
characters (a longer one is verified every time). Only tokens this server signed can be
kept, so filling it takes that many logins; when it is full, the oldest entry goes.
"""

import threading

from rest_framework_simplejwt.exceptions import TokenError

MAX_ENTRIES = 10_000  # about 1 KB each (the token and its claims): 10 MB per process at most
MAX_TOKEN_LENGTH = 2048  # this demo's tokens are about 400 characters


class VerifiedTokens:
    def __init__(self):
        self.payloads = {}  # {(token class, token string): the verified claims}
        self.lock = threading.Lock()  # every change takes it (threads of one process); a lookup never waits

    def load(self, token_class, raw_token):
        """``token_class(raw_token)``, as SimpleJWT builds it, verified in full the first time."""
        key = (token_class, raw_token)
        payload = self.payloads.get(key)
        if payload is not None:
            token = self.rebuild(token_class, raw_token, payload)
            if token is not None:
                return token
        token = token_class(raw_token)  # SimpleJWT's full verification; a TokenError if it fails
        self.remember(key, token.payload)
        return token

    def rebuild(self, token_class, raw_token, payload):
        """The token from its kept claims, checked again as above; None once a check fails."""
        token = token_class()  # SimpleJWT's constructor; its new claims are replaced below
        token.token, token.payload = raw_token, dict(payload)
        try:
            token.verify()  # exp (with the leeway), jti, type, and a refresh token's blacklist
        except TokenError:  # expired or blacklisted since: forget it; full verification says which
            with self.lock:  # every change under the lock: remember() iterates over the entries
                self.payloads.pop((token_class, raw_token), None)
            return None
        return token

    def remember(self, key, payload):
        if len(key[1]) > MAX_TOKEN_LENGTH:
            return
        with self.lock:
            while len(self.payloads) >= MAX_ENTRIES:
                del self.payloads[next(iter(self.payloads))]  # the oldest: dictionaries keep order
            self.payloads[key] = dict(payload)

    def clear(self):
        with self.lock:
            self.payloads.clear()


verified_tokens = VerifiedTokens()  # one per process, shared by its threads
