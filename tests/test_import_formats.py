"""Every seed value lands on its indicator from Word, Excel and CSV files built here."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.catalog.models import Indicator
from parstat.imports.service import import_upload
from parstat.reporting.models import Report, Value
from tests.import_fixtures import seed_csv, seed_docx, seed_xlsx
from tests.seed_expectations import seed_rows

pytestmark = pytest.mark.django_db

FORMATS = {
    "docx": lambda: (seed_docx(), "bang1.docx"),
    "docx split over two tables": lambda: (seed_docx(split_at=70), "bang1.docx"),
    "xlsx": lambda: (seed_xlsx(), "bang1.xlsx"),
    "csv, BOM, semicolons": lambda: (seed_csv(), "bang1.csv"),
    "csv, no BOM, commas": lambda: (seed_csv(delimiter=",", bom=False), "bang1.csv"),
    "xlsx renamed .doc": lambda: (seed_xlsx(), "bang1.doc"),
}


def _vn(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", ".").rstrip("%"))


@pytest.mark.parametrize("kind", FORMATS)
def test_every_seed_value_lands_on_its_indicator(kind, units, template, system):
    data, name = FORMATS[kind]()
    result = import_upload(data, name, unit_code="ST-SKHDT", period_code="2023Q1",
                           acting_user=system)
    assert not result.unmatched and not result.conflicts and not result.missing
    assert all(m["score"] == 100 and m["method"] == "exact" for m in result.matched)
    report = Report.objects.get(unit__code="ST-SKHDT", period__code="2023Q1")
    indicators = list(Indicator.objects.filter(template=template).order_by("position"))
    stored = {v.indicator_id: v for v in Value.objects.filter(report=report)}
    with_value = [(row, ind) for row, ind in zip(seed_rows(), indicators, strict=True) if row[2]]
    assert len(with_value) == 75 and result.counts.imported == 75
    for (line, _label, text, _note), indicator in with_value:
        assert stored[indicator.pk].number == _vn(text), (kind, line, indicator.code)
    assert stored[Indicator.objects.get(template=template, code="VII.3.a").pk].number == 1327
    assert report.document_number == "81/BC-SKHĐT"
    assert report.document_issuer == "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"


def test_word_rows_are_numbered_as_in_the_table(units, system):
    result = import_upload(seed_docx(), "bang1.docx", unit_code="ST-SKHDT",
                           period_code="2023Q1", dry_run=True, acting_user=system)
    by_code = {m["code"]: m["row"] for m in result.matched}
    # Row 1 and 2: the merged header; 3: section I; 4: an empty row; 5: item 1.
    assert by_code["I.1"] == 5 and by_code["I.1.a"] == 6


def test_excel_reads_formulas_as_cached_values_and_percent_cells_as_shown(units, system):
    result = import_upload(seed_xlsx(), "bang1.xlsx", unit_code="ST-SKHDT",
                           period_code="2023Q1", dry_run=True, acting_user=system)
    values = {m["code"]: m["value"] for m in result.matched}
    assert values["I.1.a"] == 40  # written =39+1
    assert values["III.6.c"] == 100  # stored 1 with the format 0%
    rows = {m["code"]: m["row"] for m in result.matched}
    assert rows["I.1.a"] == 9  # Excel's own row number: 3 title rows, a blank, a 2-row header


def test_a_second_import_of_the_same_word_file_changes_nothing(units, system):
    data = seed_docx()
    import_upload(data, "bang1.docx", unit_code="ST-SKHDT", period_code="2023Q1",
                  acting_user=system)
    again = import_upload(data, "bang1.docx", unit_code="ST-SKHDT", period_code="2023Q1",
                          acting_user=system)
    assert again.counts.imported == again.counts.updated == 0


def test_tab_text_in_utf16_as_excel_saves_unicode_text(units, system):
    from tests.conftest import SEED_FILE

    data = SEED_FILE.read_text(encoding="utf-8").encode("utf-16")
    result = import_upload(data, "bang1.txt", unit_code="ST-SKHDT", period_code="2023Q1",
                           dry_run=True, acting_user=system)
    assert result.counts.imported == 75 and not result.unmatched
