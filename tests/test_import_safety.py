"""Hostile and unreadable files are refused with a stable code and a message saying what to do,
before any library parses them, and nothing is stored from them."""

from __future__ import annotations

import pytest

from parstat.errors import ParstatError
from parstat.imports.safety import Limits, open_zip, unsafe_path
from parstat.imports.service import import_upload
from parstat.reporting.models import Report, ValueChange
from tests.import_fixtures import (
    ole_file,
    rewrite_zip,
    seed_csv,
    seed_docx,
    seed_xlsx,
    with_billion_laughs,
    zip_bomb,
)

pytestmark = pytest.mark.django_db


def _refused(data: bytes, name: str, system) -> ParstatError:  # type: ignore[no-untyped-def]
    with pytest.raises(ParstatError) as refused:
        import_upload(data, name, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    assert Report.objects.count() == 0 and ValueChange.objects.count() == 0
    return refused.value


def test_billion_laughs_in_a_word_file(units, system):
    error = _refused(with_billion_laughs(seed_docx(), "word/document.xml"), "lol.docx", system)
    assert error.code == "import.unsafe_xml" and "word/document.xml" in error.message


def test_billion_laughs_in_a_sheet(units, system):
    error = _refused(with_billion_laughs(seed_xlsx(), "xl/worksheets/sheet2.xml"), "lol.xlsx",
                     system)
    assert error.code == "import.unsafe_xml"


def test_a_zip_bomb_is_refused_by_its_ratio(units, system):
    error = _refused(zip_bomb(size=8 * 1024 * 1024), "bomb.docx", system)
    assert error.code == "import.zip_bomb" and "lần" in error.message


def test_a_package_inflating_past_the_total_limit_is_refused():
    small = Limits(file_bytes=10 * 1024 * 1024, uncompressed_bytes=100_000, members=100)
    with pytest.raises(ParstatError) as refused:
        open_zip(seed_docx(), "big.docx", small)
    assert refused.value.code == "import.zip_bomb" and "giải nén" in refused.value.message


def test_macros_are_refused_not_run(units, system):
    data = rewrite_zip(seed_xlsx(), lambda _n, body: body,
                       extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    error = _refused(data, "bang1.xlsm", system)
    assert error.code == "import.macro" and ".xlsx" in error.message


@pytest.mark.parametrize(("stream", "code", "advice"), [
    ("WordDocument", "import.legacy_format", "Lưu lại tệp dưới dạng .docx"),
    ("Workbook", "import.legacy_format", "Lưu lại tệp dưới dạng .xlsx"),
    ("EncryptionInfo", "import.encrypted", "gỡ mật khẩu"),
])
def test_old_binary_and_encrypted_office_files(units, system, stream, code, advice):
    error = _refused(ole_file(stream), "bang1.docx", system)
    assert error.code == code and advice in error.message


def test_a_damaged_word_file(units, system):
    data = seed_docx()
    error = _refused(data[: len(data) // 2], "cut.docx", system)
    assert error.code == "import.corrupt" and "lưu lại" in error.message


def test_a_file_too_large(units, system):
    error = _refused(b"STT\t" + b"x" * (21 * 1024 * 1024), "huge.txt", system)
    assert error.code == "import.too_large" and "20,0 MB" in error.message


def test_a_picture_is_not_a_report(units, system):
    error = _refused(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 100, "bang1.png", system)
    assert error.code == "import.unknown_format" and ".docx" in error.message


def test_csv_in_a_legacy_code_page(units, system):
    error = _refused(seed_csv(bom=False).decode().encode("cp1258", "replace"), "bang1.csv", system)
    assert error.code == "import.encoding" and "CSV UTF-8" in error.message


def test_a_word_file_without_the_indicator_table(units, system):
    import io

    import docx

    letter = docx.Document()
    letter.add_paragraph("Kính gửi: Sở Nội vụ")
    letter.add_table(rows=2, cols=2).cell(0, 0).text = "Nơi nhận"
    out = io.BytesIO()
    letter.save(out)
    error = _refused(out.getvalue(), "letter.docx", system)
    assert error.code == "import.no_table" and "Chỉ tiêu thống kê" in error.message


@pytest.mark.parametrize("name", ["../evil.docx", "/etc/passwd", "a/../../b.xlsx",
                                  "C:\\Windows\\x.docx", "..\\..\\x.docx"])
def test_paths_climbing_out_are_unsafe(name):
    assert unsafe_path(name)


def test_ordinary_paths_are_safe():
    assert not unsafe_path("Sở Tư pháp/bang1.docx") and not unsafe_path("word/document.xml")
