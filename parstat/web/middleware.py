"""Errors a user caused, raised anywhere below a page, become a readable page, not a 500; and
the page's own background requests (htmx) get statuses a script can act on, not a page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.translation import gettext as _

from parstat.errors import ParstatError
from parstat.http_status import status_for

# Set on the answers below so that the page's script can tell them from any other 401/403.
REASON_HEADER = "X-Parstat-Reason"


def is_background(request: HttpRequest) -> bool:
    """A request the page's script made (htmx or fetch), whose answer is not shown as a page."""
    return request.headers.get("HX-Request") == "true" or \
        "application/json" in request.headers.get("Accept", "")


class UserErrorMiddleware:
    """Also, for background requests of the pages (not the API, which answers its own way):

    - signed out: 401 instead of the redirect to the sign-in page, which htmx would follow and
      draw inside the cell being saved;
    - refused by the CSRF check: 403 marked ``X-Parstat-Reason: csrf``, so the page fetches a
      new token and sends again instead of failing silently. The check itself stays on.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/") or not is_background(request):
            return response
        if response.status_code == 302 and not request.user.is_authenticated and \
                response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL)):
            answer = HttpResponse(_("Phiên đăng nhập đã hết: hãy đăng nhập lại."), status=401,
                                  content_type="text/plain; charset=utf-8")
            answer[REASON_HEADER] = "signed-out"
            return answer
        if response.status_code == 403 and _refused_by_csrf_check(request):
            answer = HttpResponse(_("Mã bảo vệ của trang đã hết hạn: hãy gửi lại."), status=403,
                                  content_type="text/plain; charset=utf-8")
            answer[REASON_HEADER] = "csrf"
            return answer
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ParstatError) or request.path.startswith("/api/"):
            return None
        status = status_for(exception.code)  # the API's status for the same error
        return render(request, "web/error.html", {"error": exception}, status=status)


def _refused_by_csrf_check(request: HttpRequest) -> bool:
    # CsrfViewMiddleware marks every request it lets through (csrf_processing_done); an unsafe
    # request without the mark was stopped by it before reaching a view.
    return request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and \
        not getattr(request, "csrf_processing_done", False)
