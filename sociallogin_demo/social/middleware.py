import json
import logging
import math

import requests
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render

from config.plumbing.throttling import AccountThrottle

logger = logging.getLogger("sociallogin_demo")


class ProviderUnavailableMiddleware:
    """allauth talks to the provider inside the browser's request (its discovery document,
    token endpoint and keys). When the provider is down, slow or answers nonsense,
    `requests` raises and Django would answer 500: this answers 502 instead, naming the
    provider as the part that failed, and logs the exception's name (never a token)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, requests.RequestException):
            return None
        logger.warning("identity provider unavailable: %s", type(exception).__name__)
        if request.path.startswith("/_allauth/"):
            error = {"code": "provider_unavailable", "message": "The identity provider did not answer."}
            return JsonResponse({"status": 502, "errors": [error]}, status=502)
        return render(request, "social/provider_unavailable.html", status=502)


WRITES = {"POST", "PUT", "PATCH"}


def headless_error(status, code, message):
    """An error in the shape allauth's headless API answers with."""
    return JsonResponse({"status": status, "errors": [{"message": message, "code": code}]}, status=status)


class HeadlessBodyMiddleware:
    """allauth's headless API parses its JSON body itself, and a stranger's body breaks it:
    JSON nested a hundred thousand deep is a 500 (Python's RecursionError); a body past
    DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), malformed JSON, or JSON that is not an object is
    a 400 with an empty or HTML body. Checked here first, each is a JSON 4xx that says what
    is wrong, in allauth's own error shape (tests/test_limits.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/_allauth/") and request.method in WRITES:
            refusal = self.refuse(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refuse(self, request):
        try:
            body = request.body
        except RequestDataTooBig:
            return headless_error(413, "too_large", "The request body is too large (2.5 MB at most).")
        if not body:
            return None
        try:
            data = json.loads(body)
        except RecursionError:
            return headless_error(400, "invalid_json", "The request body is nested too deeply.")
        except ValueError:  # malformed JSON, or bytes that are not UTF-8
            return headless_error(400, "invalid_json", "The request body is not valid JSON.")
        if not isinstance(data, dict):
            return headless_error(400, "invalid_json", "The request body must be a JSON object.")
        return None


ID_TOKEN_SIGN_IN = "/_allauth/app/v1/auth/provider/token"


class IdTokenSignInThrottleMiddleware:
    """Sign-ins with a provider's ID token, counted per client address (the plumbing's
    AccountThrottle, scope "id_token"). Each one makes this site fetch the provider's keys
    (allauth's jwtkit.fetch_key keeps no copy): unthrottled, a stranger's loop would have
    this site hammer Google, until Google refuses it and nobody can sign in."""

    throttle_scope = "id_token"  # what AccountThrottle reads off its "view"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == ID_TOKEN_SIGN_IN:
            throttle = AccountThrottle()
            if not throttle.allow_request(request, self):
                response = headless_error(429, "too_many_requests", "Too many sign-ins from this address.")
                response["Retry-After"] = str(math.ceil(throttle.wait() or 1))
                return response
        return self.get_response(request)
