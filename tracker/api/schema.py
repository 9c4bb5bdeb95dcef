"""OpenAPI details shared by every endpoint: the error responses each one may give, and optional credentials."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from tracker.api.permissions import ReadOnly, ReadOrModelPermissions
from tracker.api.serializers import ErrorResponse

ERRORS = {
    "400": "A malformed query (code `invalid_filter`), body (`invalid`) or JSON document (`malformed_request`), or "
    "a body too large (`request_too_large`).",
    "401": "Credentials are missing (`not_authenticated`) or wrong (`authentication_failed`). Send "
    "`Authorization: Token <key>`.",
    "403": "Authenticated, but without the analyst permission this needs (`permission_denied`).",
    "404": "No such record (`not_found`).",
    "429": "Too many requests (`throttled`): wait for the number of seconds in the Retry-After header.",
}


class AutoSchema(BaseAutoSchema):
    """Describes the shared error format for every status code the API may answer with."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERRORS.items():
            if code not in responses:
                response = OpenApiResponse(response=ErrorResponse, description=description)
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def get_auth(self):
        auths = super().get_auth()
        # Reading is anonymous unless the deployment sets API_REQUIRE_LOGIN: say that credentials are optional.
        reads_openly = any(isinstance(p, (ReadOnly, ReadOrModelPermissions)) for p in self.view.get_permissions())
        if self.method in SAFE_METHODS and reads_openly and {} not in auths:
            auths.append({})
        return auths
