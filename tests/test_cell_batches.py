"""One reading of a batch of cells for every edge: indicator by code, value by kind, note."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.reporting.actions import CellInput, parse_cells

pytestmark = pytest.mark.django_db


def test_it_reads_every_cell_and_returns_every_refusal_located(template) -> None:
    parsed = parse_cells(template, [
        CellInput("I.1.a", "1.327"),
        CellInput("NOPE", "5"),
        CellInput("I.1.b", "1,5"),
        CellInput("I.1.a", "7"),
        CellInput("I.1.c", "", note="chưa có số liệu"),
        CellInput("I.2", "không đọc", note="chỉ ghi chú", keep_value=True),
        CellInput("I.2.a", "3", note="x\x00"),
    ])
    assert [(u.indicator.code, u.value.number if u.value else None, u.note)
            for u in parsed.updates] == [
        ("I.1.a", Decimal(1327), None), ("I.1.c", None, "chưa có số liệu"),
        ("I.2", None, "chỉ ghi chú")]
    assert parsed.updates[1].value is not None and parsed.updates[1].value.is_blank
    assert parsed.updates[2].value is None  # a note alone: the stored value stays
    assert parsed.indexes == [0, 4, 5]
    assert [(r.index, r.code, r.part, r.error.code) for r in parsed.refusals] == [
        (1, "NOPE", "indicator", "value.unknown_indicator"),
        (2, "I.1.b", "value", parsed.refusals[1].error.code),
        (3, "I.1.a", "indicator", "values.duplicate"),
        (6, "I.2.a", "note", parsed.refusals[3].error.code)]
    assert parsed.refusals[1].error.code.startswith("value.")
    assert parsed.refusals[1].error.indicator == "I.1.b"
    assert parsed.refusals[3].error.code.startswith(("value.", "note."))


def test_it_names_the_files_row_in_a_refusal(template) -> None:
    parsed = parse_cells(template, [CellInput("I.1.a", "abc", row=12)])
    assert parsed.updates == [] and len(parsed.refusals) == 1
    assert "12" in parsed.refusals[0].error.message
