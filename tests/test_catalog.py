"""The built-in template B1-SN-2023 as loaded, checked against the printed seed table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest

from parstat.catalog.models import Indicator, Kind
from parstat.rules.expressions import parse_expression

SEED_FILE = Path(__file__).resolve().parent.parent / "parstat" / "seeds" / "000_6b98368d79752b38.txt"
CODE_SHAPE = re.compile(r"^(?P<section>I|II|III|IV|V|VI|VII)\.\d+(\.[a-z](\.\d+)?)?$")
TAG = re.compile(r"<[^>]+>")
PRINTED_CHOICE = re.compile(r"([^=;]+?)\s*=\s*(\d+)")


class SeedRow(NamedTuple):
    stt: str
    label: str
    unit: str


def seed_rows() -> list[SeedRow]:
    """Indicator rows of the seed: after the header, without section rows and empty lines."""
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("<b>")):]
    rows = []
    for line in body:
        if not line.strip() or line.startswith("<b>"):
            continue
        stt, label, unit, *_rest = (TAG.sub("", cell).strip() for cell in line.split("\t"))
        rows.append(SeedRow(stt, label, unit))
    return rows


@pytest.fixture
def indicators(template) -> list[Indicator]:
    return list(template.indicators.order_by("position"))


def printed_choices(unit: str) -> dict[int, str]:
    return {int(value): label.strip() for label, value in PRINTED_CHOICE.findall(unit)}


def test_it_has_the_seven_sections(template) -> None:
    numerals = list(template.sections.order_by("position").values_list("numeral", flat=True))
    assert numerals == ["I", "II", "III", "IV", "V", "VI", "VII"]


def test_it_has_178_indicators(indicators) -> None:
    assert len(indicators) == 178


def test_it_reads_178_rows_from_the_seed() -> None:
    assert len(seed_rows()) == 178


def test_it_keeps_every_printed_label_in_order(indicators) -> None:
    assert [i.label for i in indicators] == [row.label for row in seed_rows()]


def test_it_keeps_every_printed_stt_in_order(indicators) -> None:
    assert [i.stt for i in indicators] == [row.stt for row in seed_rows()]


def test_it_keeps_the_restarted_numbering_of_section_vii(indicators) -> None:
    numbered = [(i.code, i.stt) for i in indicators if i.section.numeral == "VII" and i.stt]
    assert numbered == [(f"VII.{n}", stt) for n, stt in
                        enumerate(["1", "2", "1", "2", "3", "4", "5"], start=1)]


def test_it_labels_a_sub_sub_item_as_printed(template) -> None:
    label = template.indicators.get(code="VII.5.b.2").label
    assert label == "- Số TTHC đang cung cấp trực tuyến mức độ 4"


def test_it_has_unique_codes(indicators) -> None:
    codes = [i.code for i in indicators]
    assert len(set(codes)) == len(codes)


def test_it_shapes_every_code_by_its_section(indicators) -> None:
    for indicator in indicators:
        match = CODE_SHAPE.match(indicator.code)
        assert match, indicator.code
        assert match["section"] == indicator.section.numeral, indicator.code


def test_it_codes_every_flag_one_and_zero_with_the_printed_labels(indicators) -> None:
    printed = {i.code: row.unit for i, row in zip(indicators, seed_rows(), strict=True)}
    flags = [i for i in indicators if i.kind == Kind.FLAG]
    assert flags
    for flag in flags:
        choices = {c["value"]: c["label"] for c in flag.choices}
        assert set(choices) == {0, 1}, flag.code
        assert choices == printed_choices(printed[flag.code]), flag.code


def test_it_makes_the_survey_form_a_choice_of_three(template) -> None:
    survey = template.indicators.get(code="I.7.b")
    assert survey.kind == Kind.CHOICE
    assert {c["value"]: c["label"] for c in survey.choices} == {
        0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"}


def test_it_has_at_least_twenty_rules(template) -> None:
    assert template.rules.count() >= 20


def test_it_reads_only_existing_codes_in_rules(template) -> None:
    known = set(template.indicators.values_list("code", flat=True))
    for rule in template.rules.all():
        read = parse_expression(rule.left).codes | parse_expression(rule.right).codes
        assert read <= known, rule.code


def test_it_derives_the_cumulative_completion_rate_by_formula(template) -> None:
    rate = template.indicators.get(code="I.1")
    assert rate.cumulative
    assert rate.aggregation == "formula"
    assert rate.formula
