"""The OpenAPI schema (drf-spectacular): its AutoSchema, plus the error responses DRF sends.

drf-spectacular documents the success responses it can see. The errors DRF adds on its
own (400 for invalid input, 401/403 for missing credentials, 404 for a missing object or
page, 413 and 415 for a body too large or of another type, 429) it leaves out, so a
schema-checking client (or schemathesis) would call them undocumented. This AutoSchema
adds each one the view can really answer, with the body DRF really sends.

Identical in every demo; not the lesson.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated


class ErrorDetailSerializer(serializers.Serializer):
    """DRF's body for every error that is not about a field: ``{"detail": "..."}``."""

    detail = serializers.CharField()


def error(description):
    return OpenApiResponse(ErrorDetailSerializer, description=description)


VALIDATION_ERROR = OpenApiResponse(
    {
        "type": "object",
        # {"field": ["message"]}, {"non_field_errors": [...]}, nested objects for nested
        # serializers, or {"detail": "JSON parse error ..."} for a body that is not JSON.
        "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {}}, {"type": "object"}]},
    },
    description='Invalid input: {"field": ["message", ...]} per field, or {"detail": "..."}.',
)


class AutoSchemaWithErrors(AutoSchema):
    """drf-spectacular's AutoSchema, plus the error responses DRF answers on its own."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            responses = operation["responses"]
            for status_code, response in self.error_responses(operation).items():
                if str(status_code) not in responses:  # an explicit @extend_schema wins
                    responses[str(status_code)] = self._get_response_for_code(response, str(status_code))
        return operation

    def error_responses(self, operation):
        """The errors DRF itself answers for this view and method."""
        errors = {}
        if "requestBody" in operation:
            errors[400] = VALIDATION_ERROR
            errors[413] = error("The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE (exceptions.py).")
            errors[415] = error("The body's Content-Type is none of the view's parsers'.")
        authenticators = self.view.get_authenticators()
        permissions = self.view.get_permissions()
        needs_login = any(not isinstance(p, AllowAny) for p in permissions)
        # A session cookie that does not match is ignored; a bad Basic/Token/JWT header
        # is refused (401/403) even where anonymous callers are welcome.
        checks_headers = any(not isinstance(a, SessionAuthentication) for a in authenticators)
        # DRF answers "not authenticated" and "bad credentials" with 401 when the view has
        # a WWW-Authenticate value (its first authentication class's scheme), else 403.
        # A view without authentication classes that still names a scheme (SimpleJWT's
        # token views) does so because it refuses bad tokens itself: 401 too.
        header = self.view.get_authenticate_header(self.view.request)
        if (authenticators and (needs_login or checks_headers)) or (header and not authenticators):
            if header:
                errors[401] = error("Missing, malformed, invalid or expired credentials.")
            else:
                errors[403] = error("Missing or invalid credentials.")
        if any(not isinstance(p, (AllowAny, IsAuthenticated)) for p in permissions):
            errors[403] = error("Authenticated, but not allowed.")
        if "{" in self.path:
            errors[404] = error("No such object (or not yours).")
        elif self.method == "GET" and self._is_list_view() and self._get_paginator():
            # PageNumberPagination: ?page=0, ?page=x or a page past the last one.
            errors[404] = error("Invalid page.")
        if self.view.get_throttles():
            errors[429] = error("Too many requests; retry after the Retry-After header's seconds.")
        return errors


def without_slashless_aliases(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: document each route once, with its slash.

    A demo whose URLs also answer without the trailing slash (where an original tutorial's
    clients call them so) routes the same view twice; the alias is not another operation.
    """
    return [endpoint for endpoint in endpoints if endpoint[0].endswith("/")]
