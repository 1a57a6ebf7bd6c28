"""Errors a user caused, raised anywhere below a page, become a readable page, not a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parstat.errors import ParstatError


class UserErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ParstatError) or request.path.startswith("/api/"):
            return None
        status = 403 if exception.code == "permission.denied" else 400
        return render(request, "web/error.html", {"error": exception}, status=status)
