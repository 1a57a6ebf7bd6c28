"""Which units owe a report for a period, and which of their reports count as received.

The one definition every count of "expected" and "received" uses: the period page, completeness,
the consolidation's coverage line, reminders and the API.

- **Expected**: a unit that existed at some point of the period's data window (``valid_from`` ≤
  window end and ``valid_to`` ≥ window start, a blank date meaning open), that owes the
  template's family as :mod:`parstat.catalog.editions` decides: a unit with overrides
  (``UnitTemplate``) owes exactly those families, whatever its kind; any other unit the families
  of its kind (``Template.unit_kinds``). Any family when no template is named; a unit of a kind
  with no table and no override owes nothing. A unit closed before the
  window or opened after it owes nothing; one that closed during it still owes its report. A
  province or the Home Affairs office that only consolidates is not expected.
- **The report that counts** for a unit: its report for the period on the newest edition.
- **Received**: that report is submitted or accepted. A report returned to draft is not received,
  even though it keeps the ``submitted_at`` of its earlier submission.
- **On time / late**: a received report, against the deadline at its (latest) submission.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet

from parstat.catalog.editions import family_counts
from parstat.catalog.models import Template, UnitTemplate
from parstat.ids import id_list, ids_in
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit

from .states import StateScope

# The report that counts for a unit with several for one period: the newest edition (the
# report's id breaks a tie, so every reader picks the same one).
NEWEST_LAST = ("template__edition", "pk")

# Received: the reports the "submitted" scope of the totals counts (one home: states.py).
RECEIVED_STATES = StateScope.SUBMITTED.states


def kinds_with_template(template: Template | None = None) -> set[str]:
    """The unit kinds that fill ``template``'s family (any edition of it), or any table."""
    rows = Template.objects.all() if template is None else Template.objects.filter(
        family=template.family)
    return {kind for kinds in rows.values_list("unit_kinds", flat=True) for kind in kinds or []}


def owes(template: Template | None) -> Q:
    """The units that owe ``template``'s family (any family when None), in one query: by
    override, else by kind (the decision of :func:`parstat.catalog.editions.families_for`)."""
    overridden = UnitTemplate.objects.values("unit_id")
    if template is None:
        chosen = UnitTemplate.objects.filter(
            family__in=Template.objects.values("family")).values("unit_id")
    else:
        chosen = UnitTemplate.objects.filter(family=template.family).values("unit_id")
    return Q(id__in=chosen) | (Q(kind__in=kinds_with_template(template)) & ~Q(id__in=overridden))


def alive_during(period: Period) -> Q:
    """The units that existed at some point of ``period``'s window (a blank date is open)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))


def lived_during(unit: OrgUnit, period: Period) -> bool:
    """:func:`alive_during` of one unit in hand, in Python (a page deciding for many periods
    without a query each); a test holds the two the same."""
    return ((unit.valid_from is None or unit.valid_from <= period.end)
            and (unit.valid_to is None or unit.valid_to >= period.start))


def _expected(unit_ids: Iterable[int], period: Period, template: Template | None
              ) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(alive_during(period), owes(template), ids_in("id", unit_ids))


def expected_units(unit_ids: Iterable[int], period: Period, template: Template | None = None
                   ) -> list[OrgUnit]:
    """The units among ``unit_ids`` that owe a report for ``period`` (on ``template``), by code."""
    return list(_expected(unit_ids, period, template).select_related("parent").order_by("code"))


def owed_families(unit_ids: Iterable[int], period: Period) -> Counter[str]:
    """Of the units among ``unit_ids`` that owe a report for ``period``, how many owe each
    family (a unit owing two families counts in both): for a template's family, as many as
    :func:`expected_unit_ids` lists on that template."""
    return family_counts(_expected(unit_ids, period, None))


class ExpectedRow(NamedTuple):
    id: int
    kind: str
    parent_id: int | None
    synthetic: bool


def expected_rows(unit_ids: Iterable[int], period: Period) -> list[ExpectedRow]:
    """The same units as :func:`expected_units` (on any template), as plain rows by code: what
    counting them needs, without a model instance per unit."""
    return [ExpectedRow(*row) for row in _expected(unit_ids, period, None).order_by("code")
            .values_list("id", "kind", "parent_id", "synthetic")]


def expected_unit_ids(unit_ids: Iterable[int], period: Period, template: Template | None = None
                      ) -> list[int]:
    """The same units as :func:`expected_units`, as ids only."""
    return list(_expected(unit_ids, period, template).order_by().values_list("id", flat=True))


def reports_that_count(units: Iterable[OrgUnit], period: Period) -> dict[int, Report]:
    """unit id → the unit's report for the period; the newest edition wins when it has two.

    Each report comes with the unit and the period given (not read again with every report) and
    without its stored findings (a list of 4,000 reports would decode 4,000 JSON documents);
    its template is read when asked for."""
    by_id = {u.pk: u for u in units}
    found: dict[int, Report] = {}
    for filed in (Report.objects.filter(period=period, unit_id__in=id_list(by_id))
                  .defer("findings").order_by(*NEWEST_LAST)):
        filed.unit, filed.period = by_id[filed.unit_id], period
        found[filed.unit_id] = filed
    return found


def counted_states(unit_ids: Iterable[int], period: Period) -> dict[int, tuple[int, str, bool]]:
    """unit id → (id, state, submitted late) of the unit's report that counts, as
    :func:`reports_that_count` picks it, read as plain rows (a national page asks this of
    thousands of units)."""
    newest: dict[int, tuple[int, str, bool]] = {}
    for unit_id, pk, state, late in (
            Report.objects.filter(ids_in("unit_id", unit_ids), period=period)
            .order_by(*NEWEST_LAST).values_list("unit_id", "pk", "state", "submitted_late")):
        newest[unit_id] = (pk, state, late)
    return newest


def received_count(unit_ids: Iterable[int], period: Period, template: Template | None = None
                   ) -> int:
    """How many of the units among ``unit_ids`` that owe a report for ``period`` (on
    ``template``) have their report that counts received: :func:`expected_unit_ids`,
    :func:`counted_states` and :func:`state_is_received`, counted by the database (a national
    table asks it of 4,000 units). The report that counts is the one no report of the same
    unit and period is newer than (``NEWEST_LAST``), so a received one counts its unit once.
    How many owe is :func:`owed_families` of the template's family."""
    expected = _expected(unit_ids, period, template).order_by()
    newer = Report.objects.filter(period=period, unit_id=OuterRef("unit_id")).filter(
        Q(template__edition__gt=OuterRef("template__edition"))
        | Q(template__edition=OuterRef("template__edition"), pk__gt=OuterRef("pk")))
    return (Report.objects.filter(period=period, state__in=RECEIVED_STATES,
                                  unit_id__in=expected.values("id"))
            .exclude(Exists(newer)).order_by().count())


def state_is_received(state: str) -> bool:
    return state in RECEIVED_STATES


def state_is_late(state: str, submitted_late: bool) -> bool:
    return state_is_received(state) and submitted_late


def is_received(report: Report | None) -> bool:
    return report is not None and state_is_received(report.state)


def is_late(report: Report | None) -> bool:
    return report is not None and state_is_late(report.state, report.submitted_late)


def is_on_time(report: Report | None) -> bool:
    return is_received(report) and not is_late(report)
