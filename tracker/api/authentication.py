"""Token authentication that looks a key up only when it can be one."""

from __future__ import annotations

import re

from rest_framework import authentication, exceptions

# DRF's keys are 40 hexadecimal characters (Token.generate_key).
_TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's, refusing a malformed key with a 401 before the database sees it (PostgreSQL refuses NUL: a 500)."""

    def authenticate_credentials(self, key: str):
        if not _TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)
