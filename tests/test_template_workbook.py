"""The authoring workbook: YAML → xlsx → YAML is lossless; an edited workbook is checked (sheet,
row, reason) and published; the command line does the same."""

from __future__ import annotations

import io
import re

import pytest
import yaml
from django.core.management import call_command
from openpyxl import load_workbook

from parstat.catalog.demo_editions import load_demo_editions
from parstat.catalog.loader import DATA_DIR
from parstat.catalog.models import Indicator, Template
from parstat.catalog.workbook import import_template, read_workbook, template_data, write_workbook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["B1-SN-2023", "B1-SN-2025", "B2-XA-2025"])
def test_the_workbook_spells_the_edition_losslessly(template, code):
    load_demo_editions()
    data = template_data(Template.objects.get(code=code))
    assert read_workbook(write_workbook(data), f"{code}.xlsx").data == data


def test_the_exported_edition_loads_back_to_the_same_rows(template):
    data = template_data(template)
    source = yaml.safe_load((DATA_DIR / "B1-SN-2023.yaml").read_text(encoding="utf-8"))
    labels = [i["label"] for s in source["sections"] for i in s["indicators"]]
    assert [i["label"] for s in data["sections"] for i in s["indicators"]] == labels
    assert [r["code"] for r in data["rules"]] == [r["code"] for r in source["rules"]]


def _edited(template: Template, change) -> bytes:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(write_workbook(template_data(template))))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_edited_workbook_is_published_as_a_new_edition(template):
    def new_edition(book):  # type: ignore[no-untyped-def]
        info = book["Thông tin"]
        for row in info.iter_rows(min_row=2):
            if row[0].value == "code":
                row[1].value = "B1-SN-2026"
            if row[0].value == "edition":
                row[1].value = 2026
            if row[0].value == "applies_from":
                row[1].value = "2026-01-01"
        info.append(["previous", "B1-SN-2023"])
        rows = book["Chỉ tiêu"]
        rows.cell(row=5, column=4).value = "Số văn bản chỉ đạo CCHC đã ban hành trong kỳ"

    content = _edited(template, new_edition)
    preview = import_template(content, "b1-2026.xlsx", dry_run=True)
    assert preview.refused == [] and not Template.objects.filter(code="B1-SN-2026").exists()
    assert preview.mapping == {"same": 177, "renamed": 1}
    published = import_template(content, "b1-2026.xlsx")
    assert published.applied
    row = Indicator.objects.get(template__code="B1-SN-2026", code="I.1.c")
    assert (row.mapping, row.mapped_from) == ("renamed", ["I.1.c"])


def test_a_bad_formula_is_named_by_sheet_and_row(template):
    def bad_formula(book):  # type: ignore[no-untyped-def]
        for row in book["Thông tin"].iter_rows(min_row=2):
            if row[0].value == "code":
                row[1].value = "B1-SN-SAI"
        rows = book["Chỉ tiêu"]
        header = [c.value for c in rows[1]]
        rows.cell(row=2, column=header.index("formula") + 1).value = "I.1.b / / I.1.a"

    result = import_template(_edited(template, bad_formula), "sai.xlsx")
    assert not result.applied and len(result.refused) == 1
    assert "trang «Chỉ tiêu», dòng 2" in result.refused[0]["message"]
    english = result.refused[0]["message_en"]
    assert "indicator I.1 (formula «I.1.b / / I.1.a»): Formula" in english, english
    assert english.endswith("(sheet «Chỉ tiêu», row 2)")
    assert re.findall(r"[À-ỹĐđ]", re.sub(r"«[^»]*»", "", english)) == []  # only quoted data
    assert not Template.objects.filter(code="B1-SN-SAI").exists()


def test_the_command_line_lists_exports_and_imports(template, tmp_path, capsys):
    call_command("template", "list")
    assert "B1-SN-2023" in capsys.readouterr().out
    workbook, text = tmp_path / "b1.xlsx", tmp_path / "b1.yaml"
    call_command("template", "export", "B1-SN-2023", "-o", str(workbook))
    call_command("template", "export", "B1-SN-2023", "-o", str(text))
    assert yaml.safe_load(text.read_text(encoding="utf-8")) == template_data(template)
    call_command("template", "import", str(workbook), "--dry-run")
    assert "178 chỉ tiêu" in capsys.readouterr().out


def test_the_administrator_uploads_and_publishes_a_new_edition(sign_in, template):
    import re

    from django.urls import reverse

    def new_edition(book):  # type: ignore[no-untyped-def]
        for row in book["Thông tin"].iter_rows(min_row=2):
            if row[0].value == "code":
                row[1].value = "B1-SN-2027"
            if row[0].value == "applies_from":
                row[1].value = "2027-01-01"
        book["Thông tin"].append(["previous", "B1-SN-2023"])

    upload = io.BytesIO(_edited(template, new_edition))
    upload.name = "b1-2027.xlsx"
    client, url = sign_in("admin"), reverse("web:registry_import", args=["templates"])
    preview = client.post(url, {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200 and "178 chỉ tiêu" in page and "same: 178" in page
    assert not Template.objects.filter(code="B1-SN-2027").exists()
    sha = re.search(r'name="sha256" value="([0-9a-f]+)"', page).group(1)
    assert client.post(url, {"sha256": sha}).status_code == 200
    assert Template.objects.get(code="B1-SN-2027").previous.code == "B1-SN-2023"
