"""Property: for random reports in random states, every scope's totals equal a plain
recomputation over the reports in that scope's states, and what it left out is the rest.

Each example builds its own small province inside a transaction it rolls back, through the same
actions the application uses (values by do_set_values, states by the workflow's do_… steps;
"returned" is submitted then returned, back in draft with its submitted_at kept).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parstat.analytics.completeness import completeness
from parstat.analytics.consolidation import consolidate
from parstat.analytics.states import StateScope
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_accept_report, do_return_report, do_submit_report
from tests.consolidation_data import ACTOR, file_report, unit

# What each generated report ends in, and the stored state that leaves.
ENDS = {"draft": "draft", "submitted": "submitted", "accepted": "accepted", "returned": "draft"}

blank_or = st.none() | st.integers(min_value=0, max_value=10**6)
report_strategy = st.fixed_dictionaries({
    "end": st.sampled_from(sorted(ENDS)),
    "plan": blank_or,  # I.1.a, sum
    "done_share": st.none() | st.fractions(min_value=0, max_value=1),  # I.1.b ≤ I.1.a
    "flag": st.none() | st.sampled_from([0, 1]),  # I.5, count_ones
    "rate": st.none() | st.decimals(min_value=0, max_value=100, places=2),  # I.7.c, none
})


class _RolledBack(Exception):
    pass


def _file(template, index: int, parent, spec: dict) -> dict:  # type: ignore[no-untyped-def]
    done = None
    if spec["plan"] is not None and spec["done_share"] is not None:
        done = int(spec["plan"] * spec["done_share"])
    values = {"I.1.a": spec["plan"], "I.1.b": done, "I.5": spec["flag"], "I.7.c": spec["rate"]}
    report = file_report(template, unit(f"P-S{index}", parent=parent), "2024Q1", values)
    if spec["end"] != "draft":
        do_submit_report(report, acting_user=ACTOR, explanation="kiểm thử")
    if spec["end"] == "accepted":
        do_accept_report(report, acting_user=ACTOR)
    if spec["end"] == "returned":
        do_return_report(report, reason="kiểm thử", acting_user=ACTOR)
    return {**values, "unit": f"P-S{index}", "state": ENDS[spec["end"]]}


def _plain(filed: list[dict], scope: StateScope) -> dict:
    """The totals recomputed by hand over the reports in the scope's states."""
    counted = [f for f in filed if f["state"] in scope.states]
    plans = [f["I.1.a"] for f in counted if f["I.1.a"] is not None]
    flags = [f["I.5"] for f in counted if f["I.5"] is not None]
    both = [f for f in counted if f["I.1.a"] is not None and f["I.1.b"] is not None]
    plan_of_both = sum(f["I.1.a"] for f in both)
    rate = None
    if both and plan_of_both:
        rate = (Decimal(sum(f["I.1.b"] for f in both)) / plan_of_both * 100).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)
    rates = [f["I.7.c"] for f in counted if f["I.7.c"] is not None]
    spread = None
    if rates:
        # Rounded to the decimals the ends carry (at least one), so it lies between them.
        places = max(1, *(max(0, -Decimal(r).normalize().as_tuple().exponent)
                          for r in (min(rates), max(rates))))
        mean = (Decimal(sum(rates)) / len(rates)).quantize(Decimal(1).scaleb(-places),
                                                           rounding=ROUND_HALF_UP)
        spread = (mean, min(rates), max(rates))
    return {
        "I.1.a": (Decimal(sum(plans)) if plans else None, len(plans)),
        "I.5": (Decimal(flags.count(1)) if flags else None, len(flags)),
        "I.1": (rate, len(both)),
        "I.7.c": spread,
        "left_out": sorted((f["unit"], f["state"]) for f in filed if f not in counted),
        "received": sum(1 for f in filed if f["state"] in ("submitted", "accepted")),
    }


def _computed(result) -> dict:  # type: ignore[no-untyped-def]
    spread = result.total("I.7.c").spread
    return {
        **{code: (result.total(code).value, result.total(code).units)
           for code in ("I.1.a", "I.5", "I.1")},
        "I.7.c": (spread.mean, spread.minimum, spread.maximum) if spread else None,
        "left_out": sorted((o.unit.code, o.state) for o in result.left_out),
        "received": result.received,
    }


@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(reports=st.lists(report_strategy, min_size=1, max_size=6))
def test_every_scope_totals_exactly_the_reports_in_its_states(template, reports):
    try:
        with transaction.atomic():
            province = unit("P", "province")
            filed = [_file(template, i, province, spec) for i, spec in enumerate(reports)]
            assert Report.objects.filter(unit__parent=province).count() == len(filed)
            for scope in StateScope:
                result = consolidate(province, ensure_period("2024Q1"), states=scope)
                assert _computed(result) == _plain(filed, scope), scope
                assert result.expected == len(filed)
            # Completeness reads the same definition through the report objects.
            tally = completeness(province, ensure_period("2024Q1")).total
            assert (tally.expected, tally.received) == (result.expected, result.received)
            raise _RolledBack
    except _RolledBack:
        pass
