"""A value typed into a formula row is checked against its formula, never silently trusted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.catalog.loader import load_template_file
from parstat.catalog.models import Indicator, Kind
from parstat.errors import ParstatError
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.checks import evaluate_report
from parstat.reporting.values import parse_cell
from parstat.rules.evaluate import (
    CompiledTemplate,
    compile_template,
    derive_and_compute,
    formula_findings,
    formula_mismatches,
)
from parstat.rules.expressions import parse_expression
from tests.conftest import SEED_FILE
from tests.test_api_helpers import *  # noqa: F403 (fixtures)
from tests.test_template_loader import fresh, indicator, write

D = Decimal
# Reports are filed into periods `parstat init` makes: every test here has them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("periods")]


@pytest.fixture
def compiled(template) -> CompiledTemplate:
    return compile_template(template)


def values(**given: object) -> dict[str, Decimal | None]:
    return {code.replace("_", "."): None if v is None else D(str(v)) for code, v in given.items()}


def test_it_computes_a_typed_rate_from_its_inputs(compiled) -> None:
    derived, computed = derive_and_compute(compiled, values(I_1=99, I_1_a=40, I_1_b=13))
    assert computed == {"I.1": D("32.5")} and "I.1" not in derived


def test_it_computes_nothing_for_a_blank_formula_row(compiled) -> None:
    derived, computed = derive_and_compute(compiled, values(I_1_a=40, I_1_b=13))
    assert derived["I.1"] == D("32.5") and computed == {}


def test_it_computes_nothing_when_the_formula_gives_no_value(compiled) -> None:
    assert derive_and_compute(compiled, values(I_1=99, I_1_a=0, I_1_b=0))[1] == {}
    assert formula_mismatches(compiled, values(I_1=99, I_1_a=0, I_1_b=0)) == {}


def test_it_names_a_typed_rate_that_disagrees_with_its_formula(compiled) -> None:
    given = values(I_1=99, I_1_a=40, I_1_b=13)
    assert formula_mismatches(compiled, given) == {"I.1": D("32.5")}
    [finding] = formula_findings(compiled, given)
    assert finding.rule == "formula:I.1" and finding.codes == ("I.1",)
    assert finding.severity == "error"
    assert finding.message == "I.1 = 99, nhưng 13 / 40 × 100 = 32,5"
    assert (finding.left, finding.right) == (D(99), D("32.5"))


@pytest.mark.parametrize("typed", ["32.5", "32.46", "32.54"])
def test_it_accepts_a_typed_rate_equal_to_its_formula_at_one_decimal(compiled, typed) -> None:
    assert formula_mismatches(compiled, values(I_1=typed, I_1_a=40, I_1_b=13)) == {}


@pytest.mark.parametrize("typed", ["32.4", "32.6", "33", "0"])
def test_it_refuses_a_typed_rate_beyond_one_decimal_of_its_formula(compiled, typed) -> None:
    assert formula_mismatches(compiled, values(I_1=typed, I_1_a=40, I_1_b=13)) == {
        "I.1": D("32.5")}


def test_it_checks_a_typed_total_against_its_parts(compiled) -> None:
    given = values(V_6_e=8, V_6_e_1=2, V_6_e_3=5)
    [finding] = formula_findings(compiled, given)
    assert finding.message == "V.6.e = 8, nhưng sum(2; trống; 5) = 7"
    assert formula_findings(compiled, values(V_6_e=7, V_6_e_1=2, V_6_e_3=5)) == []


def test_it_reports_a_mismatch_as_the_template_says(template) -> None:
    rate = Indicator(code="I.1", kind=Kind.PERCENT, formula="I.1.b / I.1.a * 100",
                     formula_check="warning")
    compiled = CompiledTemplate(formulas=((rate, parse_expression(rate.formula)),), rules=(),
                                kind_checks=())
    [finding] = formula_findings(compiled, values(I_1=99, I_1_a=40, I_1_b=13))
    assert finding.severity == "warning"


def test_it_loads_formula_check_from_the_template_file(tmp_path, db) -> None:
    data = fresh()
    indicator(data, "I.1")["formula_check"] = "warning"
    template, _ = load_template_file(write(tmp_path, data))
    assert template.indicators.get(code="I.1").formula_check == "warning"
    assert template.indicators.get(code="V.6.e").formula_check == "error"


@pytest.mark.parametrize(("code", "check", "reason"), [
    ("I.1", "fatal", "«formula_check» phải là error hoặc warning"),
    ("I.1.a", "warning", "«formula_check» chỉ dùng cho chỉ tiêu có công thức"),
])
def test_it_refuses_a_bad_formula_check(tmp_path, db, code, check, reason) -> None:
    data = fresh()
    indicator(data, code)["formula_check"] = check
    with pytest.raises(ParstatError) as refused:
        load_template_file(write(tmp_path, data))
    assert refused.value.code == "template.invalid" and reason in refused.value.message


def _type(report, code: str, text: str, actor) -> None:  # type: ignore[no-untyped-def]
    found = report.template.indicators.get(code=code)
    do_set_values(report, [CellUpdate(found, parse_cell(found, text))], acting_user=actor)


def test_it_evaluates_a_report_with_the_computed_value_and_the_finding(seed_report, system):
    _type(seed_report, "I.1", "99", system)
    evaluation = evaluate_report(seed_report)
    # VI.3 (1 = 0 + 0 + 1 + 0) is typed in the seed and agrees with its parts.
    assert evaluation.computed == {"I.1": D("32.5"), "VI.3": D(1)}
    assert evaluation.value_of("I.1") == D(99)  # the typed value stays as typed
    assert [f.rule for f in evaluation.errors if f.rule.startswith("formula:")] == ["formula:I.1"]
    _type(seed_report, "I.1", "32,5", system)
    assert not [f for f in evaluate_report(seed_report).findings if f.rule == "formula:I.1"]


def test_an_import_reports_a_typed_rate_that_disagrees(db, tmp_path, system):
    from parstat.imports.service import import_file
    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    printed = "(Lũy kế đến thời điểm báo cáo)\t%\t"
    path = tmp_path / "bang1.txt"
    path.write_text(SEED_FILE.read_text(encoding="utf-8").replace(printed, printed + "99", 1),
                    encoding="utf-8")
    result = import_file(path, unit_code="ST-SKHDT", period_code="2023Q1", acting_user=system)
    [finding] = [f for f in result.findings if f["rule"] == "formula:I.1"]
    assert finding == {"rule": "formula:I.1", "severity": "error", "codes": ["I.1"],
                       "message": "I.1 = 99, nhưng 13 / 40 × 100 = 32,5",
                       "message_en": "I.1 = 99, but 13 / 40 × 100 = 32,5"}


def test_the_api_reports_a_typed_rate_that_disagrees(api, seed_report):
    seed_report.refresh_from_db()
    response = api["reporter"].post(f"/reports/{seed_report.pk}/values", {
        "version": seed_report.version, "values": [{"indicator": "I.1", "value": "99"}]})
    assert response.status_code == 200, response.content
    rules = [f["rule"] for f in response.json()["findings"]]
    assert "formula:I.1" in rules
    read = api["reporter"].get(f"/reports/{seed_report.pk}").json()
    assert "formula:I.1" in [f["rule"] for f in read["findings"]]


def test_the_consolidated_table_by_unit_names_a_typed_rate_that_disagrees(seed_report, system,
                                                                         sign_in):
    from django.urls import reverse

    from parstat.analytics.consolidation import consolidate
    from parstat.analytics.states import StateScope
    from parstat.exports.consolidated import consolidated_table
    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.values import parse_cell
    from parstat.units.models import OrgUnit

    rate = seed_report.template.indicators.get(code="I.1")
    do_set_values(seed_report, [CellUpdate(rate, parse_cell(rate, "99"))], acting_user=system)
    result = consolidate(OrgUnit.objects.get(code="ST"), seed_report.period,
                         states=StateScope.ALL, by_unit=True)
    table = consolidated_table(result)
    assert [f.message for f in table.findings] == [
        "ST-SKHDT: I.1 = 99, nhưng 13 / 40 × 100 = 32,5"]
    assert next(r for r in table.rows() if r.code == "I.1").value == Decimal("32.5")
    page = sign_in("consolidator").get(reverse("analytics:consolidated"), {
        "unit": "ST", "period": "2023Q1", "scope": "all", "by_unit": "1"}).content.decode()
    assert "ST-SKHDT: I.1 = 99, nhưng 13 / 40 × 100 = 32,5" in page
