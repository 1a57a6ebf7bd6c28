"""A save re-checks only what its changed cells can affect; its findings are still exactly those
of evaluating everything.

Property: for the real templates (the seed's B1-SN-2023 from the seed report's values, the 2025
editions from blank) and one derived from the seed's with formula rows reading derived rows
(the real ones have none), after each of a random sequence of changes (numbers, blanks, zeros,
out-of-range values, clears; mostly one cell, sometimes a few), ``evaluate_change`` from the
findings stored before the change gives the findings (every field, in order), derived and
computed values of ``evaluate_values``.
"""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
import yaml
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parstat.catalog.demo_editions import load_demo_editions
from parstat.catalog.loader import load_template_data
from parstat.catalog.models import NUMERIC_KINDS, Template
from parstat.reporting.actions import CellUpdate, do_set_values, finding_columns
from parstat.reporting.checks import (
    Evaluation,
    evaluate_change,
    evaluate_report,
    evaluate_values,
    stored_values,
)
from parstat.reporting.models import Report, Value
from parstat.reporting.values import parse_cell
from parstat.rules.evaluate import compile_template
from tests.conftest import TEMPLATE_CODE

pytestmark = pytest.mark.django_db

SEED_TEMPLATE_FILE = "parstat/catalog/data/B1-SN-2023.yaml"
CHAINED = "T-CHAINED-2023"

# One step: one cell (mostly) or a few, each to a value, a blank (None) or cleared.
cell_value = st.one_of(
    st.none(),  # blank, or cleared
    st.just(Decimal(0)),
    st.integers(min_value=0, max_value=60).map(Decimal),
    st.integers(min_value=-5, max_value=-1).map(Decimal),  # out of range for every kind
    st.decimals(min_value=0, max_value=150, places=1),  # a percent above 100, a count's decimal
    st.just(Decimal(1)),  # a flag's "Có"
    st.just(Decimal("12345678901234567890.5")),  # more digits than are stored exactly
)


def _chained_template() -> Template:
    """The seed's table plus two formula rows reading derived rows, a rule reading them and a
    kind check on a derived count, loaded as a template of its own."""
    from pathlib import Path

    data = yaml.safe_load(Path(SEED_TEMPLATE_FILE).read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data.update(code=CHAINED, name="Bảng thử: công thức đọc công thức", synthetic=True)
    section = data["sections"][0]["indicators"]
    section.append({"code": "I.11", "stt": "11", "label": "Thử: nửa I.1 cộng V.6.e (1 khi trống)",
                    "unit": "%", "kind": "percent", "aggregation": "formula",
                    "formula": "I.1 / 2 + coalesce(V.6.e, 1)", "formula_check": "warning"})
    section.append({"code": "I.12", "stt": "12", "label": "Thử: I.11 trừ I.1.a",
                    "unit": "Số lượng", "kind": "count", "aggregation": "formula",
                    "formula": "I.11 - I.1.a"})
    data["rules"] = [*data.get("rules", []),
                     {"code": "RC1", "left": "I.12", "operator": ">=", "right": "I.1.b",
                      "severity": "warning", "missing": "skip_if_all_missing",
                      "message": "Thử: I.12 ({left}) nhỏ hơn I.1.b ({right})."},
                     {"code": "RC2", "left": "I.11 + VI.3", "operator": "<=", "right": "100",
                      "severity": "error", "missing": "skip_if_any_missing",
                      "message": "Thử: I.11 + VI.3 ({left}) lớn hơn {right}."}]
    digest = hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()
    template, _ = load_template_data(data, digest, name=CHAINED)
    return template


@pytest.fixture
def templates(seed_report) -> dict[str, tuple[Template, dict[str, Decimal | None]]]:  # type: ignore[no-untyped-def]
    """template code → (template, the values each sequence starts from)."""
    load_demo_editions()
    seed_numbers = {code: v.number for code, v in stored_values(seed_report).items()}
    chained = _chained_template()
    out = {TEMPLATE_CODE: (seed_report.template, seed_numbers),
           CHAINED: (chained, seed_numbers)}
    for code in ("B1-SN-2025", "B2-XA-2025"):
        out[code] = (Template.objects.get(code=code), {})
    return out


def _rows(template: Template, numbers: dict[str, Decimal | None]) -> dict[str, Value]:
    by_code = {i.code: i for i in template.indicators.all()}
    return {code: Value(indicator=by_code[code], number=number, note="")
            for code, number in numbers.items() if number is not None}


def _stored_as_in_the_database(report: Report, evaluation: Evaluation) -> None:
    """What a save stores with the report (through JSON, as the database gives it back)."""
    report.findings = json.loads(json.dumps(finding_columns(evaluation)["findings"]))
    report.updated_at = timezone.now()


def _same(incremental: Evaluation, full: Evaluation) -> None:
    assert incremental.findings == full.findings  # every field, in order
    assert [(f.left, f.right) for f in incremental.findings] == \
        [(f.left, f.right) for f in full.findings]  # and the decimals' own digits
    assert [(str(f.left), str(f.right)) for f in incremental.findings] == \
        [(str(f.left), str(f.right)) for f in full.findings]
    assert incremental.derived == full.derived
    assert incremental.computed == full.computed


def _codes_worth_changing(template: Template) -> tuple[list[str], ...]:
    """Where a step picks its cells: every numeric code; the codes a rule, kind check or formula
    reads or gives; the formula rows and what they read (few, so picked from on their own)."""
    compiled = compile_template(template)
    numeric = sorted(i.code for i in template.indicators.all() if i.kind in NUMERIC_KINDS)
    dependencies = compiled.dependencies
    formulas = set(dependencies.readers) | set(compiled.formula_rows)
    return numeric, sorted(formulas | set(dependencies.rules_reading)), sorted(formulas)


steps = st.lists(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 2), cell_value),
                          min_size=1, max_size=3),
                 min_size=1, max_size=12)


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(which=st.sampled_from([TEMPLATE_CODE, CHAINED, "B1-SN-2025", "B2-XA-2025"]),
       sequence=steps, single=st.booleans())
def test_incremental_findings_equal_the_full_evaluation(templates, which: str,
                                                         sequence: list[list[Any]],
                                                         single: bool) -> None:
    template, start = templates[which]
    pools = _codes_worth_changing(template)
    numbers = dict(start)
    report = Report(template=template)
    _stored_as_in_the_database(report, evaluate_values(report, _rows(template, numbers)))
    for step in sequence:
        if single:
            step = step[:1]  # the form's autosave: one cell
        changed = set()
        for index, pool, value in step:
            code = pools[pool][index % len(pools[pool])]
            if numbers.get(code) == value or (numbers.get(code) is None and value is None):
                continue  # as a save: the same number (32.5 for 32.50) writes nothing
            numbers[code] = value
            changed.add(code)
        rows = _rows(template, numbers)
        full = evaluate_values(report, rows)
        incremental = evaluate_change(report, rows, changed)
        _same(incremental, full)
        _stored_as_in_the_database(report, incremental)


def test_a_save_keeps_the_stored_findings_it_cannot_affect(seed_report, system):
    # The stored findings are used: a finding no rule of the changed cell reads stays as stored.
    findings = list(seed_report.findings)
    assert findings, "the seed report has findings"
    untouched = findings[0]
    findings[0] = {**untouched, "message": "như đã lưu"}
    Report.objects.filter(pk=seed_report.pk).update(findings=findings)
    indicator = seed_report.template.indicators.get(code="I.1.c")  # read by no rule
    assert "I.1.c" not in untouched["codes"]
    do_set_values(seed_report, [CellUpdate(indicator, parse_cell(indicator, "7"))],
                  acting_user=system)
    stored = Report.objects.get(pk=seed_report.pk).findings
    assert stored[0]["message"] == "như đã lưu"
    assert stored[1:] == findings[1:]


def test_a_save_evaluates_everything_without_stored_findings(seed_report, system):
    # As a report filed before findings were stored.
    Report.objects.filter(pk=seed_report.pk).update(findings=None)
    indicator = seed_report.template.indicators.get(code="I.1.c")
    result = do_set_values(seed_report, [CellUpdate(indicator, parse_cell(indicator, "7"))],
                           acting_user=system)
    fresh = evaluate_report(Report.objects.get(pk=seed_report.pk))
    assert result.evaluation is not None and result.evaluation.findings == fresh.findings
    assert Report.objects.get(pk=seed_report.pk).findings == \
        finding_columns(fresh)["findings"]


def test_a_save_after_the_template_was_loaded_again_evaluates_everything(seed_report, system):
    # An erratum may reword a rule's message: the stored texts may be the old ones.
    findings = list(seed_report.findings)
    findings[0] = {**findings[0], "message": "trước khi nạp lại"}
    Report.objects.filter(pk=seed_report.pk).update(findings=findings)
    Template.objects.filter(pk=seed_report.template_id).update(loaded_at=timezone.now())
    indicator = seed_report.template.indicators.get(code="I.1.c")
    do_set_values(Report.objects.get(pk=seed_report.pk),
                  [CellUpdate(indicator, parse_cell(indicator, "7"))], acting_user=system)
    fresh = evaluate_report(Report.objects.get(pk=seed_report.pk))
    assert Report.objects.get(pk=seed_report.pk).findings == \
        finding_columns(fresh)["findings"]



def test_the_dependency_map_follows_formulas_through_derived_rows(templates):
    compiled = compile_template(templates[CHAINED][0])
    affected = compiled.dependencies.affected({"I.1.b"})
    # I.1 reads I.1.b; I.11 reads I.1; I.12 reads I.11.
    assert affected.formulas == {"I.1", "I.11", "I.12"}
    assert {compiled.rules[p].code for p in affected.rules} == {"R01", "RC1", "RC2"}
    assert affected.kinds == {"I.1.b", "I.1", "I.11", "I.12"}
    # A row no formula or rule reads affects its own kind check only.
    alone = compiled.dependencies.affected({"I.1.c"})
    assert (alone.formulas, alone.rules, alone.kinds) == (set(), set(), {"I.1.c"})
