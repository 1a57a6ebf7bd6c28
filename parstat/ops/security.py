"""Headers every page and API answer carries: a Content-Security-Policy and no caching of data.

Django 5.2 has no Content-Security-Policy of its own (6.0 will); this is the few lines the
policy needs, rather than django-csp's nonce and report machinery, which nothing here uses:
every script and style is a file under /static/, so the policy allows 'self' and nothing inline.
Static files never reach this middleware: WhiteNoise, placed before it, answers them with their
own long-lived cache headers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # data: for the small SVG icons the API docs' stylesheet embeds.
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # Reports, values and tokens must not linger in a shared browser's or proxy's cache.
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
