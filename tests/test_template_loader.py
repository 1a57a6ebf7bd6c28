"""Loading template files: every flaw refused with its row and reason, nothing half-written."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from parstat.catalog.loader import DATA_DIR, load_template_file
from parstat.catalog.models import Indicator, Template
from parstat.errors import ParstatError
from parstat.reporting.actions import CellUpdate, do_create_report, do_set_values
from parstat.reporting.periods import ensure_period
from parstat.reporting.values import parse_cell
from parstat.units.models import OrgUnit
from parstat.units.registry import SEED_UNIT_CODE, ensure_real_units

CODE = "TEST-1"
Data = dict[str, Any]


@functools.cache
def _builtin() -> Data:
    return yaml.safe_load((DATA_DIR / "B1-SN-2023.yaml").read_text(encoding="utf-8"))


def fresh() -> Data:
    data = copy.deepcopy(_builtin())
    data["code"] = CODE
    return data


def items(data: Data) -> list[dict]:
    return data["sections"][0]["indicators"]  # section I: I.1, I.1.a, I.1.b, I.1.c, ...


def indicator(data: Data, code: str) -> dict:
    for section in data["sections"]:
        for item in section["indicators"]:
            if item["code"] == code:
                return item
    raise KeyError(code)


def rule(data: Data, code: str) -> dict:
    return next(r for r in data["rules"] if r["code"] == code)


def write(tmp_path: Path, data: Data, name: str = "test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def set_formula(code: str, formula: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        indicator(data, code)["formula"] = formula
    return change


def cycle(data: Data) -> None:
    indicator(data, "I.1.a")["formula"] = "I.1.c + 1"
    indicator(data, "I.1.c")["formula"] = "I.1.a"


def unknown_kind(data: Data) -> None:
    indicator(data, "I.1.c")["kind"] = "number"


def duplicate(data: Data) -> None:
    items(data).insert(4, copy.deepcopy(indicator(data, "I.1.c")))


def child_first(data: Data) -> None:
    section = items(data)
    section[0], section[1] = section[1], section[0]  # I.1.a before I.1


def flag_without_choices(data: Data) -> None:
    del indicator(data, "I.3.e")["choices"]


def bad_operator(data: Data) -> None:
    rule(data, "R01")["operator"] = "=<"


def bad_placeholder(data: Data) -> None:
    rule(data, "R01")["message"] = "Đã hoàn thành {value} nhiệm vụ, kế hoạch {right}."


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [
        (set_formula("I.1", "I.1.b / / I.1.a"), "I.1", "sai cú pháp"),
        (set_formula("I.1", "I.1.b / I.1.z * 100"), "I.1", "I.1.z"),
        (set_formula("I.1", "exec(I.1.a)"), "I.1", "exec"),
        (cycle, "I.1.a → I.1.c → I.1.a", "vòng tròn"),
        (unknown_kind, "I.1.c", "«number» không hợp lệ"),
        (duplicate, "I.1.c", "trùng"),
        (child_first, "I.1.a", "chỉ tiêu cha I.1 phải đứng trước"),
        (flag_without_choices, "I.3.e", "lựa chọn"),
        (bad_operator, "R01", "«=<»"),
        (bad_placeholder, "R01", "value"),
    ],
    ids=["syntax", "unknown-code", "forbidden-function", "cycle", "unknown-kind", "duplicate",
         "child-first", "flag-without-choices", "rule-operator", "rule-placeholder"],
)
def test_it_refuses_a_flawed_template_and_writes_nothing(db, tmp_path, change, where, reason):
    data = fresh()
    change(data)
    with pytest.raises(ParstatError) as caught:
        load_template_file(write(tmp_path, data))
    assert caught.value.code == "template.invalid"
    assert where in caught.value.message
    assert reason in caught.value.message
    assert not Template.objects.filter(code=CODE).exists()


def test_it_loads_a_valid_copy(db, tmp_path) -> None:
    template, written = load_template_file(write(tmp_path, fresh()))
    assert (template.code, written) == (CODE, True)
    assert template.indicators.count() == 178


def test_it_writes_nothing_when_loading_the_same_file_again(db, tmp_path) -> None:
    path = write(tmp_path, fresh())
    load_template_file(path)
    _template, written = load_template_file(path)
    assert written is False


def test_it_updates_a_changed_label_in_place(db, tmp_path) -> None:
    data = fresh()
    first, _ = load_template_file(write(tmp_path, data))
    before = Indicator.objects.get(template=first, code="I.1.c")
    indicator(data, "I.1.c")["label"] = "Số văn bản chỉ đạo CCHC đã ban hành trong kỳ"
    load_template_file(write(tmp_path, data))
    after = Indicator.objects.get(template=first, code="I.1.c")
    assert after.pk == before.pk
    assert after.label == "Số văn bản chỉ đạo CCHC đã ban hành trong kỳ"


def test_it_keeps_the_previous_version_when_a_reload_is_refused(db, tmp_path) -> None:
    data = fresh()
    template, _ = load_template_file(write(tmp_path, data))
    indicator(data, "I.1.c")["label"] = "Nhãn mới"
    unknown_kind(data)
    with pytest.raises(ParstatError):
        load_template_file(write(tmp_path, data))
    label = Indicator.objects.get(template=template, code="I.1.c").label
    assert label == "Số văn bản chỉ đạo CCHC đã ban hành"


def test_it_refuses_to_drop_an_indicator_that_has_values(db, tmp_path, system) -> None:
    data = fresh()
    template, _ = load_template_file(write(tmp_path, data))
    ensure_real_units()
    report = do_create_report(OrgUnit.objects.get(code=SEED_UNIT_CODE), template,
                              ensure_period("2023Q1"), acting_user=system).report
    stored = Indicator.objects.get(template=template, code="I.1.c")
    do_set_values(report, [CellUpdate(stored, parse_cell(stored, "6"))], acting_user=system)
    items(data).remove(indicator(data, "I.1.c"))
    with pytest.raises(ParstatError) as caught:
        load_template_file(write(tmp_path, data))
    # An edition with reports is never changed in place (dropping a row makes a new edition).
    assert caught.value.code == "template.edition_in_use"
    assert "I.1.c" in caught.value.message
    assert Indicator.objects.filter(pk=stored.pk).exists()
    assert Template.objects.get(code=CODE).source_sha256 == template.source_sha256


def test_it_refuses_to_drop_an_indicator_whose_value_was_cleared(db, tmp_path, system) -> None:
    data = fresh()
    template, _ = load_template_file(write(tmp_path, data))
    ensure_real_units()
    report = do_create_report(OrgUnit.objects.get(code=SEED_UNIT_CODE), template,
                              ensure_period("2023Q1"), acting_user=system).report
    stored = Indicator.objects.get(template=template, code="I.1.c")
    do_set_values(report, [CellUpdate(stored, parse_cell(stored, "6"))], acting_user=system)
    do_set_values(report, [CellUpdate(stored, parse_cell(stored, ""))], acting_user=system)
    items(data).remove(indicator(data, "I.1.c"))
    with pytest.raises(ParstatError) as caught:
        load_template_file(write(tmp_path, data))
    assert caught.value.code == "template.edition_in_use"
