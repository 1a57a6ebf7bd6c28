"""The site's own 404, 403 and 500 pages: in its layout and the reader's language.

Wired as ``handler404`` / ``handler403`` / ``handler500`` in ``parstat/urls.py``."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, status: int, title: str, explanation: str) -> HttpResponse:
    return render(request, "web/http_error.html",
                  {"status": status, "title": title, "explanation": explanation}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, _("Không tìm thấy trang"),
                 _("Địa chỉ này không có trang nào, hoặc anh/chị không được xem nội dung ở đây."))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("Không có quyền truy cập"),
                 _("Tài khoản của anh/chị không được phép làm việc này. Nếu cần, hãy liên hệ "
                   "quản trị viên để được phân quyền."))


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, 500, _("Lỗi máy chủ"),
                     _("Máy chủ gặp lỗi khi xử lý yêu cầu. "
                       "Hãy thử lại sau ít phút; nếu lỗi còn, hãy báo quản trị viên."))
    except Exception:  # the layout itself may need what failed (the database): say it plainly
        logger.exception("the styled 500 page failed; answering in plain text")
        return HttpResponse("Lỗi máy chủ (500). Server error.", status=500,
                            content_type="text/plain; charset=utf-8")
