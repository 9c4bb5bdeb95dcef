"""Who may do what: reading is public unless API_REQUIRE_LOGIN is set; writing needs an analyst's model permissions."""

from __future__ import annotations

from django.conf import settings
from rest_framework import permissions


def _may_read(request) -> bool:
    # Read at request time, not import time, so that a deployment (or a test) can change it without a restart.
    return not settings.API_REQUIRE_LOGIN or bool(request.user and request.user.is_authenticated)


class ReadOrModelPermissions(permissions.DjangoModelPermissions):
    """Safe methods follow API_REQUIRE_LOGIN; writes need `add` (POST) or `change` (PUT, PATCH) on the view's model."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return _may_read(request)
        return super().has_permission(request, view)


class ReadOnly(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS and _may_read(request)
