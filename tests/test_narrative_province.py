"""The provincial office's draft of the province's narrative: per section the units' texts side
by side, the consolidated figures they name, and the province's own text, audited."""

from __future__ import annotations

import pytest

from parstat.analytics.states import StateScope
from parstat.errors import ParstatError
from parstat.narrative.actions import do_set_narrative
from parstat.narrative.models import ConsolidatedNarrative, ConsolidatedNarrativeChange
from parstat.narrative.outline import load_outline
from parstat.narrative.province import (
    do_set_province_narrative,
    do_start_province_draft,
    province_draft,
)
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from tests.consolidation_data import ACTOR, province_a

pytestmark = pytest.mark.django_db
TASKS = "Hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ."


@pytest.fixture
def province(template):  # type: ignore[no-untyped-def]
    load_outline()
    root = province_a(template)
    for code, text in (("A-S1", TASKS), ("A-S2", TASKS + "\n- Đúng hạn.")):
        report = Report.objects.get(unit__code=code, period__code="2024Q1")
        do_set_narrative(report, "I", text, acting_user=ACTOR)
    return root


def _section(draft, key: str):  # type: ignore[no-untyped-def]
    return next(s for s in draft.sections if s.key == key)


def test_it_puts_the_units_texts_side_by_side_with_their_own_figures(province):
    draft = province_draft(province, ensure_period("2024Q1"), states=StateScope.ALL)
    assert draft.counted == 3
    first = _section(draft, "I")
    assert [(u.unit_code, u.text) for u in first.units] == [
        ("A-S1", "Hoàn thành 13/40 nhiệm vụ."),
        ("A-S2", "Hoàn thành 10/10 nhiệm vụ.\n- Đúng hạn.")]
    assert _section(draft, "II").units == []


def test_it_shows_the_consolidated_figures_the_texts_name(province):
    draft = province_draft(province, ensure_period("2024Q1"), states=StateScope.ALL)
    figures = {f.code: (f.total, f.units) for f in _section(draft, "I").figures}
    # 40 + 10 + 50 planned (three units), 13 + 10 done (two: A-S3 left it blank).
    assert figures["I.1.a"] == ("100", 3)
    assert figures["I.1.b"] == ("23", 2)
    assert draft.figures.render("{{I.1.b}}/{{I.1.a}}") == "23/100"


def test_it_counts_only_the_reports_of_the_stated_scope(province):
    draft = province_draft(province, ensure_period("2024Q1"), states=StateScope.SUBMITTED)
    assert draft.counted == 0 and _section(draft, "I").units == []
    assert {f.code: f.total for f in _section(draft, "I").figures}["I.1.a"] == "[I.1.a: trống]"


def test_it_starts_the_province_text_from_the_units_texts_once(province):
    period = ensure_period("2024Q1")
    draft = province_draft(province, period, states=StateScope.ALL)
    assert do_start_province_draft(draft, acting_user=ACTOR) == 1
    stored = ConsolidatedNarrative.objects.get(unit=province, key="I")
    assert stored.text == ("Đơn vị A-S1: Hoàn thành 13/40 nhiệm vụ.\n"
                           "Đơn vị A-S2: Hoàn thành 10/10 nhiệm vụ.\n- Đúng hạn.")
    again = province_draft(province, period, states=StateScope.ALL)
    assert do_start_province_draft(again, acting_user=ACTOR) == 0  # never over an edited text


def test_it_audits_the_province_text_and_refuses_a_stale_one(province, template):
    period = ensure_period("2024Q1")
    change = do_set_province_narrative(province, period, template, "I",
                                       "Toàn tỉnh hoàn thành {{I.1.b}}/{{I.1.a}}.",
                                       acting_user=ACTOR, expected_version=0)
    assert change is not None and change.version == 1
    assert ConsolidatedNarrativeChange.objects.filter(unit=province).count() == 1
    with pytest.raises(ParstatError) as refused:
        do_set_province_narrative(province, period, template, "I", "Khác.", acting_user=ACTOR,
                                  expected_version=0)
    assert refused.value.code == "narrative.stale"
    with pytest.raises(ParstatError) as unknown:
        do_set_province_narrative(province, period, template, "I", "{{X.1}}", acting_user=ACTOR)
    assert unknown.value.code == "narrative.unknown_figure"
    draft = province_draft(province, period, states=StateScope.ALL)
    assert draft.figures.render(_section(draft, "I").text) == "Toàn tỉnh hoàn thành 23/100."
