"""``Authorization: Bearer pst_…``: the personal API token of a user, checked on every request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from parstat.errors import ParstatError

from .tokens import find_token, touch


class TokenAuth(HttpBearer):
    """The token's user becomes the request's user: the same roles, the same choke point."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise ParstatError("auth.required")
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        touch(found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user
