"""One language per message: English pages never carry a Vietnamese word put into an English
sentence; each language names itself in the switch; the admin and Word exports are Vietnamese."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from parstat.accounts.permissions import require
from parstat.errors import ParstatError

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(("action", "vi", "en"), [
    ("edit", "sửa", "edit"), ("submit", "gửi", "submit"), ("accept", "tiếp nhận", "accept"),
    ("return", "trả lại", "return"), ("reopen", "mở lại", "reopen")])
def test_it_says_a_refused_action_in_each_language(personas, seed_report, action, vi, en):
    with pytest.raises(ParstatError) as refused:
        require(personas["viewer"], action, seed_report)
    assert refused.value.code == "permission.denied"
    assert refused.value.message == f"Anh/chị không có quyền {vi} báo cáo này."
    assert refused.value.message_en == f"You may not {en} this report."


def test_it_says_a_vietnamese_verb_given_by_a_caller_in_english_too():
    error = ParstatError("workflow.reason_required", action="trả lại")
    assert (error.message, error.message_en) == ("Hãy ghi lý do trả lại.",
                                                 "Give the reason to return.")


def test_it_refuses_an_edit_in_english_with_an_english_verb(sign_in, seed_report):
    response = sign_in("viewer").post(reverse("web:save_report", args=[seed_report.pk]),
                                      {"v:I.1.a": "1"}, **EN)
    html = response.content.decode()
    assert response.status_code == 403
    assert "You may not edit this report." in html and "sửa" not in html


def test_it_names_each_language_in_its_own_words(sign_in):
    for headers in ({}, EN):
        html = sign_in("reporter").get(reverse("web:home"), **headers).content.decode()
        options = re.findall(r'<option value="(vi|en)" lang="\1"[^>]*>([^<]+)</option>', html)
        assert options == [("vi", "Tiếng Việt"), ("en", "English")]


def test_it_titles_the_admin_in_vietnamese(sign_in):
    html = sign_in("admin").get(reverse("admin:index")).content.decode()
    assert "parstat — quản trị" in html and "Trang quản trị cho Django" not in html
    for heading in ("Tài khoản và phân quyền", "Biểu mẫu và chỉ tiêu", "Báo cáo và kỳ báo cáo",
                    "Đơn vị"):
        assert heading in html


def test_it_titles_the_admin_in_english_when_asked(sign_in):
    html = sign_in("admin").get(reverse("admin:index"), **EN).content.decode()
    assert "parstat — administration" in html and "Accounts and roles" in html


def test_it_gives_every_app_a_translated_name():
    with translation.override("vi"):
        names = {c.label: str(c.verbose_name) for c in apps.get_app_configs()
                 if c.name.startswith("parstat.")}
    assert names["catalog"] == "Biểu mẫu và chỉ tiêu" and names["units"] == "Đơn vị"
    assert all(name != label.title() for label, name in names.items())


def test_it_tags_word_exports_vietnamese(sign_in, seed_report):
    response = sign_in("reporter").get(reverse("web:download", args=[seed_report.pk, "docx"]))
    assert response.status_code == 200
    styles = zipfile.ZipFile(io.BytesIO(response.content)).read("word/styles.xml").decode()
    tags = re.findall(r"<w:lang [^>]*/>", styles)
    assert tags and all('w:val="vi-VN"' in tag for tag in tags)
    assert "en-US" not in styles


def test_it_shows_the_add_user_page_in_vietnamese(sign_in):
    html = sign_in("admin").get(reverse("admin:auth_user_add")).content.decode()
    assert "Đăng nhập bằng mật khẩu" in html and "Chuyển đến nội dung chính" in html
    for english in ("Whether the user will be able to authenticate", "Password-based authentication",
                    "After you’ve created a user", "Skip to main content"):
        assert english not in html, english
