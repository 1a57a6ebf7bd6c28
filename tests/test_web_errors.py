"""The site's own 404, 403 and 500 pages, in its layout and the reader's language; its icon."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from parstat.web import http_errors

pytestmark = pytest.mark.django_db


def test_it_answers_an_unknown_address_with_the_sites_404_page(sign_in):
    response = sign_in("reporter").get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in html and 'class="top"' in html  # the site's header
    assert "Not Found" not in html


def test_it_answers_a_report_one_may_not_see_with_the_same_404_page(sign_in, seed_report):
    response = sign_in("outsider").get(reverse("web:report_detail", args=[seed_report.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_it_speaks_english_on_the_404_page_when_asked(client, sign_in):
    response = sign_in("reporter").get("/khong-co-trang-nay/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_it_shows_the_sites_403_page(personas):
    request = RequestFactory().get("/")
    request.user = personas["reporter"]
    with translation.override("vi"):
        response = http_errors.forbidden(request, PermissionDenied())
    assert response.status_code == 403
    assert "<h1>Không có quyền truy cập</h1>" in response.content.decode()


def test_it_shows_the_sites_500_page(personas):
    request = RequestFactory().get("/")
    request.user = personas["reporter"]
    with translation.override("vi"):
        response = http_errors.server_error(request)
    assert response.status_code == 500
    assert "<h1>Lỗi máy chủ</h1>" in response.content.decode()


def test_it_answers_500_in_plain_words_when_even_the_layout_fails(rf, monkeypatch):
    def database_down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("the database is down")

    monkeypatch.setattr(http_errors, "render", database_down)
    response = http_errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert response.content.decode() == "Lỗi máy chủ (500). Server error."


def test_it_shows_the_500_page_for_an_unexpected_failure(client, personas, monkeypatch):
    def broken(request):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr("parstat.web.views.due_for", broken)
    client.raise_request_exception = False
    client.force_login(personas["reporter"])
    response = client.get(reverse("web:home"))
    assert response.status_code == 500
    assert "<h1>Lỗi máy chủ</h1>" in response.content.decode()


def test_it_gives_the_site_an_icon(client):
    from django.templatetags.static import static

    icon = static("web/favicon.svg")  # a content-hashed name once `parstat init` collected it
    page = client.get(reverse("web:login")).content.decode()
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon
