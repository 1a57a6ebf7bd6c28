"""Rows to indicators: exact after normalisation, similar with a score, proposed below the
threshold, confirmed by a person; values in words; conflicts that name the row."""

from __future__ import annotations

import pytest

from parstat.errors import ParstatError
from parstat.imports.matcher import THRESHOLD, normalise_label, similarity
from parstat.imports.service import import_upload
from parstat.reporting.models import Value
from tests.import_fixtures import (
    SeedRow,
    decomposed,
    find,
    in_words,
    seed_csv,
    seed_docx,
    seed_table_rows,
    seed_xlsx,
)

pytestmark = pytest.mark.django_db


def _import(data: bytes, name: str, system, **options):  # type: ignore[no-untyped-def]
    return import_upload(data, name, unit_code="ST-SKHDT", period_code="2023Q1",
                         acting_user=system, **options)


def _relabelled(old: str, new: str, occurrence: int = 0) -> list[SeedRow]:
    rows = seed_table_rows()
    index = find(rows, old, occurrence)
    rows[index] = rows[index].with_label(new)
    return rows


def test_decomposed_unicode_from_word_matches_exactly(units, system):
    result = _import(seed_docx(decomposed(seed_table_rows())), "nfd.docx", system)
    assert len(result.matched) == 178 and not result.unmatched
    assert {m["score"] for m in result.matched} == {100}
    by_row = {m["code"]: m["file_label"] for m in result.matched}
    assert by_row["IV.3.b"] == by_row["IV.4.b"]  # the repeated label, each on its own place


def test_a_deleted_row_is_missing_and_the_rest_still_lands(units, system):
    rows = seed_table_rows()
    del rows[find(rows, "Số nhiệm vụ đã hoàn thành")]
    result = _import(seed_xlsx(rows), "deleted.xlsx", system)
    assert [m["code"] for m in result.missing] == ["I.1.b"]
    assert result.counts.imported == 74 and not result.unmatched


def test_an_added_row_is_listed_with_its_text_and_value_never_dropped(units, system):
    rows = seed_table_rows()
    at = find(rows, "Số nhiệm vụ đã hoàn thành")
    rows.insert(at + 1, SeedRow(("", "Số cuộc họp giao ban CCHC", "Cuộc", "7", "")))
    result = _import(seed_csv(rows), "added.csv", system)
    [extra] = result.unmatched
    assert extra["file_label"] == "Số cuộc họp giao ban CCHC" and extra["value"] == "7"
    assert extra["section"] == "I" and not result.missing
    assert len(result.matched) + len(result.unmatched) == 179


def test_a_slightly_different_label_is_applied_with_its_score(units, system):
    rows = _relabelled("Số nhiệm vụ đã hoàn thành", "Số nhiệm vụ đã hoàn thành xong.")
    result = _import(seed_docx(rows), "typo.docx", system)
    [fuzzy] = [m for m in result.matched if m["method"] == "fuzzy"]
    assert fuzzy["code"] == "I.1.b" and THRESHOLD <= fuzzy["score"] < 100
    assert Value.objects.get(indicator__code="I.1.b").number == 13


def test_a_label_typed_without_diacritics_is_applied(units, system):
    rows = _relabelled("Số nhiệm vụ đề ra trong kế hoạch", "So nhiem vu de ra trong ke hoach")
    result = _import(seed_csv(rows), "telex.csv", system)
    [fuzzy] = [m for m in result.matched if m["method"] == "fuzzy"]
    assert fuzzy["code"] == "I.1.a" and fuzzy["score"] >= THRESHOLD


def test_level_3_is_never_taken_for_level_4(units, system):
    label = "- Tổng số TTHC đủ điều kiện cung cấp trực tuyến mức độ 4"
    rows = _relabelled(label, "Tổng số TTHC đủ điều kiện cung cấp trực tuyến mức 4")
    result = _import(seed_csv(rows), "level.csv", system)
    [fuzzy] = [m for m in result.matched if m["method"] == "fuzzy"]
    assert fuzzy["label"] == label and fuzzy["value"] == 60
    assert similarity(normalise_label(label), normalise_label(label[:-1] + "3")) < THRESHOLD


def test_a_doubtful_label_is_proposed_not_applied_then_confirmed(units, system):
    rows = _relabelled("Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản về CCHC do sở ban hành")
    data = seed_csv(rows)
    preview = _import(data, "doubt.csv", system, dry_run=True)
    [proposal] = preview.as_dict()["proposals"]
    assert proposal["code"] == "I.1.c" and proposal["score"] < THRESHOLD
    assert proposal["file_label"] == "Văn bản về CCHC do sở ban hành" and proposal["value"] == "6"
    assert [u["row"] for u in preview.unmatched] == [proposal["row"]]
    assert [m["code"] for m in preview.missing] == ["I.1.c"]
    confirmed = _import(data, "doubt.csv", system, confirm={proposal["row"]: "I.1.c"})
    [match] = [m for m in confirmed.matched if m["code"] == "I.1.c"]
    assert match["method"] == "confirmed" and match["score"] == proposal["score"]
    assert not confirmed.unmatched and not confirmed.proposals
    assert Value.objects.get(indicator__code="I.1.c").number == 6


def test_a_refused_proposal_stays_unmatched(units, system):
    rows = _relabelled("Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản về CCHC do sở ban hành")
    data = seed_csv(rows)
    row = _import(data, "doubt.csv", system, dry_run=True).proposals[0]["row"]
    result = _import(data, "doubt.csv", system, dry_run=True, confirm={row: ""})
    assert not result.proposals and [u["row"] for u in result.unmatched] == [row]


@pytest.mark.parametrize(("confirm", "reason"), [
    ({999: "I.1.a"}, "không có dòng"),
    ({10: "Z.9"}, "không có chỉ tiêu"),
])
def test_a_confirmation_that_cannot_apply_is_refused(units, system, confirm, reason):
    with pytest.raises(ParstatError) as refused:
        _import(seed_csv(), "bang1.csv", system, dry_run=True, confirm=confirm)
    assert refused.value.code == "import.confirm_invalid" and reason in refused.value.message


def test_values_written_in_words_are_read_as_their_numbers(units, system):
    result = _import(seed_docx(in_words(seed_table_rows())), "words.docx", system)
    assert not result.conflicts and result.counts.imported == 75
    values = {m["code"]: (m["text"], m["value"]) for m in result.matched}
    assert values["I.3.e"] == ("Có", 1) and values["I.7.b"] == ("Trực tuyến", 0)


def test_broken_numbers_are_conflicts_naming_row_text_and_kind(units, system):
    rows = seed_table_rows()
    rows[find(rows, "Số nhiệm vụ đề ra trong kế hoạch")] = rows[
        find(rows, "Số nhiệm vụ đề ra trong kế hoạch")].with_value("4O")
    at = find(rows, "Số nhiệm vụ đã hoàn thành")
    rows[at] = rows[at].with_value("12,5")  # a count with decimals
    flag = next(i for i, r in enumerate(rows) if r.cells[2] == "Có = 1; Không = 0" and r.cells[3])
    rows[flag] = rows[flag].with_value("Có lẽ")
    result = _import(seed_xlsx(rows), "broken.xlsx", system)
    conflicts = {c["code"]: c for c in result.conflicts}
    assert set(conflicts) == {"I.1.a", "I.1.b", "I.3.e"}
    assert conflicts["I.1.a"]["text"] == "4O" and conflicts["I.1.a"]["expected"] == "Số đếm (Nhiệm vụ)"
    assert f"Dòng {conflicts['I.1.a']['row']}" in conflicts["I.1.a"]["message"]
    assert conflicts["I.3.e"]["expected"] == "Có = 1; Không = 0"
    assert result.counts.imported == 72
