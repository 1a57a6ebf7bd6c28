"""The real seed report, imported from its text file: every value on its row, checks, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.catalog.models import Indicator
from parstat.imports.service import import_file
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report, ReportEvent, Value, ValueChange
from parstat.units.models import OrgUnit
from tests.conftest import SEED_FILE
from tests.seed_expectations import seed_rows

# Reports are filed into periods `parstat init` makes: every test here has them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("periods")]


def _vn(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", ".").rstrip("%"))


def test_it_puts_every_seed_value_on_its_indicator(seed_report, template):
    indicators = list(Indicator.objects.filter(template=template).order_by("position"))
    rows = seed_rows()
    assert len(rows) == len(indicators) == 178
    stored = {v.indicator_id: v for v in Value.objects.filter(report=seed_report)}
    with_value = [(row, ind) for row, ind in zip(rows, indicators, strict=True) if row[2]]
    assert len(with_value) == 75
    for (line, _label, text, _note), indicator in with_value:
        assert stored[indicator.pk].number == _vn(text), (line, indicator.code)
    blank_codes = {ind.pk for row, ind in zip(rows, indicators, strict=True) if not row[2]}
    assert not any(stored[pk].number is not None for pk in blank_codes if pk in stored)


def test_it_reads_vietnamese_thousands(seed_report):
    assert Value.objects.get(report=seed_report, indicator__code="VII.3.a").number == 1327


def test_it_keeps_notes(seed_report):
    note = Value.objects.get(report=seed_report, indicator__code="III.4.b").note
    assert note == "bãi bỏ 1, thay thế 2"
    assert Value.objects.get(report=seed_report, indicator__code="I.1.a").note.startswith(
        "Kế hoạch số 06/KH-SKHĐT")


def test_it_derives_the_blank_completion_rate(seed_report):
    evaluation = evaluate_report(seed_report)
    assert evaluation.derived["I.1"] == Decimal("32.5")
    assert "I.1" not in evaluation.stored or evaluation.stored["I.1"].number is None


def test_it_flags_the_seed_inconsistencies(seed_report):
    findings = evaluate_report(seed_report).findings
    errors = {tuple(f.codes) for f in findings if f.severity == "error"}
    assert ("III.4.c", "VII.5.f") in errors  # fees 310 > in force 111
    assert ("III.4.c", "III.4.c.1", "III.4.c.2") in errors  # 111 + 2 > 111
    warnings = [f for f in findings if f.severity == "warning"]
    assert any(set(f.codes) == {"III.7.a", "VII.5.d"} for f in warnings)  # 836 vs 831
    messages = " ".join(f.message for f in findings)
    assert "310" in messages and "113" in messages


def test_it_does_not_flag_consistent_facts(seed_report):
    flagged = {c for f in evaluate_report(seed_report).findings for c in f.codes}
    assert "VII.5.c" not in flagged  # 37 + 60 = 97 integrated on the national portal


def test_it_keeps_blank_apart_from_zero(seed_report):
    values = {v.indicator.code: v for v in
              Value.objects.filter(report=seed_report).select_related("indicator")}
    assert values["III.5.a"].number == 0  # written 0 in the seed
    assert "I.2.a" not in values or values["I.2.a"].number is None  # blank in the seed


def test_it_changes_nothing_on_a_second_import(seed_report, system):
    version = seed_report.version
    changes = ValueChange.objects.count()
    events = ReportEvent.objects.count()
    again = import_file(SEED_FILE, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    assert again.counts.as_dict() == {"imported": 0, "updated": 0, "unchanged": 178}
    assert ValueChange.objects.count() == changes
    assert ReportEvent.objects.count() == events
    seed_report.refresh_from_db()
    assert seed_report.version == version


def test_it_records_the_document_it_came_from(seed_report):
    assert seed_report.document_number == "81/BC-SKHĐT"
    assert seed_report.document_date.isoformat() == "2023-03-17"
    assert seed_report.document_issuer == "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"


def test_it_stores_nothing_on_a_dry_run_even_for_an_unknown_unit(db, system):
    result = import_file(SEED_FILE, unit_code="NEW-UNIT", period_code="2023Q1", dry_run=True,
                         acting_user=system)
    assert result.counts.imported == 75
    assert len(result.findings) == 3
    assert not OrgUnit.objects.filter(code="NEW-UNIT").exists()
    assert Report.objects.count() == 0 and ValueChange.objects.count() == 0


def test_it_audits_each_imported_value(seed_report):
    change = ValueChange.objects.get(report=seed_report, indicator__code="VII.3.a")
    assert (change.old_number, change.new_number) == (None, 1327)
    assert change.source == "import" and change.actor == "system" and change.origin == f"tests · {SEED_FILE.name}"
    assert ValueChange.objects.filter(report=seed_report).count() == 75 + 1  # + the note-only row


def _edited_seed(tmp_path, old: str, new: str):
    text = SEED_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "edited.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_it_audits_an_update_with_old_and_new(seed_report, tmp_path, alice_at_form):
    path = _edited_seed(tmp_path, "Nhiệm vụ\t40\t", "Nhiệm vụ\t41\t")
    result = import_file(path, unit_code="ST-SKHDT", period_code="2023Q1",
                         acting_user=alice_at_form)
    assert result.counts.as_dict() == {"imported": 0, "updated": 1, "unchanged": 177}
    change = ValueChange.objects.filter(indicator__code="I.1.a").latest("id")
    assert (change.old_number, change.new_number) == (40, 41)
    assert change.actor == "alice" and change.changed_by.username == "alice"
    assert change.origin == "203.0.113.7 · edited.txt" and change.source == "import"


def test_it_refuses_a_bad_number_naming_the_row_and_keeps_the_rest(db, tmp_path, system):
    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    path = _edited_seed(tmp_path, "Nhiệm vụ\t40\t", "Nhiệm vụ\t4O\t")  # letter O, not zero
    result = import_file(path, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    [conflict] = result.conflicts
    assert conflict["row"] == 12 and conflict["code"] == "I.1.a" and conflict["text"] == "4O"
    assert "Dòng 12" in conflict["message"] and "4O" in conflict["message"]
    assert result.counts.imported == 74


def test_it_stores_nothing_when_strict_and_a_value_is_bad(db, tmp_path, system):
    from parstat.errors import ParstatError
    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    path = _edited_seed(tmp_path, "Nhiệm vụ\t40\t", "Nhiệm vụ\t-40\t")
    with pytest.raises(ParstatError) as refused:
        import_file(path, unit_code="ST-SKHDT", period_code="2023Q1", strict=True,
                    acting_user=system)
    assert refused.value.code == "import.conflicts"
    assert Value.objects.count() == 0 and Report.objects.count() == 0


def test_it_lists_rows_it_cannot_match_and_template_rows_missing(db, tmp_path, system):
    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    path = _edited_seed(tmp_path, "Số nhiệm vụ đã hoàn thành\t", "Một dòng lạ\t")
    result = import_file(path, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    [unmatched] = result.unmatched
    assert unmatched == {"row": 13, "section": "I", "file_label": "Một dòng lạ", "value": "13",
                         "note": ""}
    assert [m["code"] for m in result.missing] == ["I.1.b"]


def test_it_matches_decomposed_unicode_and_repeated_labels(db, tmp_path, system):
    import unicodedata

    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", SEED_FILE.read_text(encoding="utf-8")),
                    encoding="utf-8")
    result = import_file(path, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    assert len(result.matched) == 178 and not result.unmatched
    by_row = {m["row"]: m["code"] for m in result.matched}
    assert by_row[100] == "IV.3.b" and by_row[105] == "IV.4.b"  # "Tổng số người làm việc có mặt"


def test_it_keeps_a_printed_rate_that_matches_its_inputs_derived(db, tmp_path, system):
    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    printed = "(Lũy kế đến thời điểm báo cáo)\t%\t"
    path = _edited_seed(tmp_path, printed, printed + "32,5")
    result = import_file(path, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    report = Report.objects.get(unit__code="ST-SKHDT")
    assert not Value.objects.filter(report=report, indicator__code="I.1").exists()
    assert evaluate_report(report).derived["I.1"] == Decimal("32.5")
    assert next(m for m in result.matched if m["code"] == "I.1")["derived"] is True
    other = _edited_seed(tmp_path, printed, printed + "40")
    import_file(other, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    assert Value.objects.get(report=report, indicator__code="I.1").number == 40  # reported wins
