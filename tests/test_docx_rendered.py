"""The Word documents as Word users see them: the .docx (not our PDF writer's rendering) opened
by LibreOffice, converted to PDF, its pages rendered to PNG in test-output/ to be looked at, and
its text checked for the Decree 30/2020 heading block, the signature block and the appendix
line. Skipped when LibreOffice is not installed (``make system-deps`` installs it as root)."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from parstat.narrative.actions import do_set_narrative
from parstat.narrative.export import document_bytes
from parstat.narrative.outline import load_outline
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import Step, do_transition

pytestmark = pytest.mark.django_db
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
TOOLS = ("soffice", "pdftoppm", "pdftotext")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
needs_libreoffice = pytest.mark.skipif(
    bool(MISSING), reason=f"{', '.join(MISSING)} not installed: apt-get install "
                          "libreoffice-writer-nogui poppler-utils (make system-deps, as root) "
                          "to render the Word documents")


def _pdf_pages(docx: bytes, name: str, tmp_path: Path) -> list[str]:
    """Convert with LibreOffice (a private profile, so parallel runs do not clash), render every
    page to test-output/<name>-<n>.png, and return each page's text (spaces folded)."""
    source = tmp_path / f"{name}.docx"
    source.write_bytes(docx)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, timeout=240, capture_output=True)
    pdf = tmp_path / f"{name}.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    OUTPUT.mkdir(exist_ok=True)
    for old in OUTPUT.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(OUTPUT / name)], check=True,
                   timeout=120)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, timeout=60,
                          capture_output=True, text=True).stdout
    return [re.sub(r"\s+", " ", page).strip() for page in text.split("\f") if page.strip()]


def _checks_decree_30(pages: list[str], *, issuer: str, number: str, signer: str,
                      appendix_line: str) -> None:
    first = pages[0]
    assert issuer in first and f"Số: {number}" in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "DỰ THẢO" not in " ".join(pages)
    signed = next(i for i, page in enumerate(pages) if signer in page)
    assert "Nơi nhận" in pages[signed]
    appendix = next(i for i, page in enumerate(pages) if "PHỤ LỤC" in page)
    assert appendix > signed, "the appendix starts on a page of its own, after the signature"
    assert appendix_line in pages[appendix]
    assert signer not in pages[appendix]


@pytest.fixture
def accepted(seed_report, system):  # type: ignore[no-untyped-def]
    for code, number in (("VII.5.f", 100), ("III.4.c.2", 0)):
        indicator = seed_report.template.indicators.get(code=code)
        do_set_values(seed_report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                      acting_user=system)
    load_outline()
    for key, text in {"I": "Đơn vị hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ, đạt {{I.1}} %.\n"
                           "- Kiểm tra CCHC: theo kế hoạch;\n- Tuyên truyền: đã thực hiện.",
                      "place": "Sóc Trăng", "recipients": "Sở Nội vụ;\nLưu: VT, VP.",
                      "signer_title": "Giám đốc", "signer_name": "Nguyễn Văn Minh Họa"}.items():
        do_set_narrative(seed_report, key, text, acting_user=system)
    do_transition(seed_report, Step.SUBMIT, acting_user=system, text="Đã kiểm tra")
    do_transition(seed_report, Step.ACCEPT, acting_user=system)
    seed_report.refresh_from_db()
    return seed_report


@needs_libreoffice
def test_it_renders_a_units_word_report_with_the_decree_30_blocks(accepted, tmp_path):
    pages = _pdf_pages(document_bytes(accepted, "docx"), "unit-report-docx", tmp_path)
    _checks_decree_30(pages, issuer="SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH SÓC TRĂNG",
                      number="81/BC-SKHĐT", signer="Nguyễn Văn Minh Họa",
                      appendix_line="Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/03/2023")
    assert "Đơn vị hoàn thành 13/40 nhiệm vụ, đạt 32,5 %." in pages[0]


PAGE = "/periods/2023Q1/bao-cao-tinh/ST/"


@needs_libreoffice
def test_it_renders_the_provinces_word_report_with_the_decree_30_blocks(accepted, sign_in,
                                                                       tmp_path):
    office = sign_in("consolidator")
    for key, text in (("signer_title", "Chủ tịch"), ("signer_name", "Lê Văn Minh Họa"),
                      ("place", "Sóc Trăng"), ("I", "Các sở hoàn thành {{I.1.b}}/{{I.1.a}} "
                                                    "nhiệm vụ.")):
        office.post(f"{PAGE}luu/", {"key": key, "text": text, "version": "0"})
    step = {"template": "B1-SN-2023"}
    assert office.post(f"{PAGE}buoc/submit/", step).status_code == 302
    assert sign_in("leader").post(f"{PAGE}buoc/approve/", step).status_code == 302
    office = sign_in("consolidator")
    assert office.post(f"{PAGE}buoc/send/", {**step, "number": "12/BC-UBND",
                                             "date": "2023-04-05"}).status_code == 302
    response = office.get(f"{PAGE}van-ban.docx?template=B1-SN-2023")
    assert response.status_code == 200
    pages = _pdf_pages(response.content, "province-report-docx", tmp_path)
    _checks_decree_30(pages, issuer="ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG", number="12/BC-UBND",
                      signer="Lê Văn Minh Họa",
                      appendix_line="Ban hành kèm theo Báo cáo số 12/BC-UBND ngày 05/04/2023")
    assert "Sóc Trăng, ngày 05 tháng 4 năm 2023" in pages[0]
    assert "Các sở hoàn thành 13/40 nhiệm vụ." in pages[0]
