"""One error format for the whole API: `{"error": {"code": ..., "message": ..., "fields": {...}}}`.

Clients branch on `code` (machine-readable, stable); `message` is for people; `fields` maps a parameter or a body
field to its problems (only for validation errors). A 429 also carries `retry_after` (seconds) and the Retry-After
header.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler


class InvalidQuery(exceptions.ValidationError):
    """A malformed query string: filters, ordering, cursor, pair of countries."""

    default_code = "invalid_filter"


class RequestTooLarge(exceptions.APIException):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE, or a form with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "request_too_large"

    def __init__(self):
        super().__init__(
            f"The request is too large: at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes of body and "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} form fields."
        )


# Django refuses these while DRF reads the body; left alone, they became Django's HTML 400 page.
_TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)

# Codes for DRF's own exceptions, when they do not carry a more precise one.
_CODES = {
    exceptions.ParseError: "malformed_request",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(name): [str(item) for item in _as_list(value)] for name, value in detail.items()}
    return {"non_field_errors": [str(item) for item in _as_list(detail)]}


def _as_list(value) -> list:
    if isinstance(value, dict):
        return [f"{key}: {item}" for key, items in value.items() for item in _as_list(items)]
    if isinstance(value, list):
        return [item for element in value for item in _as_list(element)]
    return [value]


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, _TOO_LARGE):
        exc = RequestTooLarge()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling (and logging) takes over
    if isinstance(exc, exceptions.ValidationError):
        code = exc.default_code if isinstance(exc, InvalidQuery) else "invalid"
        fields = _flatten(exc.detail)
        message = (
            "The query string is not valid: see `fields`."
            if isinstance(exc, InvalidQuery)
            else "The request body is not valid: see `fields`."
        )
        error = {"code": code, "message": message, "fields": fields}
    else:
        code = next((code for kind, code in _CODES.items() if isinstance(exc, kind)), None)
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        detail_code = getattr(detail, "code", None)
        error = {"code": code or detail_code or "error", "message": str(detail)}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            error["retry_after"] = int(exc.wait + 0.999)
    response.data = {"error": error}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and "Retry-After" not in response:
        response["Retry-After"] = "60"
    return response
