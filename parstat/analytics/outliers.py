"""Outliers: values far from the unit's own history or from its peers.

Method: the modified (robust) z-score of Iglewicz and Hoaglin,
``z = 0.6745 × (x − median) / MAD`` with MAD the median absolute deviation from the median, and a
value is an outlier when ``|z| > 3.5``. Median and MAD are not pulled by the outlier itself, as a
mean and standard deviation would be. When MAD is 0 (more than half the values equal), the mean
absolute deviation stands in: ``z = (x − median) / (1.253314 × MeanAD)``; when that is 0 too, every
value is the same and nothing is an outlier.

- **History**: the unit's own values of the indicator in the other periods of the same kind
  (quarter I against earlier quarters I), at least 4 of them.
- **Peers**: the values of the other units of the same kind below the asked unit in the same
  period, at least 5 of them.

Only counts, decimals and percentages are tested: flags and choices are categories.
Blank values take no part (they are not 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from parstat.catalog.editions import Lineage, row_in
from parstat.catalog.models import Indicator, Kind
from parstat.reporting.models import Period, Value
from parstat.units.models import OrgUnit

from .scope import units_in_scope
from .states import StateScope

THRESHOLD = 3.5
MIN_HISTORY = 4
MIN_PEERS = 5
TESTED_KINDS = (Kind.COUNT, Kind.DECIMAL, Kind.PERCENT)


@dataclass(frozen=True)
class Outlier:
    unit: OrgUnit
    indicator: Indicator
    period: Period
    value: Decimal
    basis: str  # "history" | "peers"
    median: float
    z: float
    compared: int  # how many values it was compared with


def robust_z(value: float, others: Sequence[float]) -> float | None:
    """The modified z-score of ``value`` against ``others``; None when they cannot tell."""
    centre = median(others)
    mad = median(abs(x - centre) for x in others)
    if mad:
        return 0.6745 * (value - centre) / mad
    mean_ad = sum(abs(x - centre) for x in others) / len(others)
    if mean_ad:
        return (value - centre) / (1.253314 * mean_ad)
    return None if value == centre else float("inf") if value > centre else float("-inf")


def _rows(period_ids: Iterable[int], scope: AbstractSet[int], states: StateScope
          ) -> list[tuple[int, int, int, Decimal]]:
    rows = Value.objects.filter(
        report__period_id__in=list(period_ids), report__unit_id__in=scope,
        report__state__in=states.states, number__isnull=False,
        indicator__kind__in=TESTED_KINDS).values_list(
        "report__unit_id", "indicator_id", "report__period_id", "number")
    return [(u, i, p, n) for u, i, p, n in rows if n is not None]


def _continued_rows(past_ids: set[int], current: dict[int, Indicator]) -> dict[int, int]:
    """past row id → the current row it continues (itself within one edition). Through the
    editions' mapping a kept or renamed row (under its code or a new one) carries its history
    over; a split, merged, new or re-meant row has none, so unlike numbers are never compared."""
    out = {pk: pk for pk in past_ids if pk in current}
    other_editions = past_ids - set(out)
    if not other_editions:
        return out
    editions = {row.template_id: row.template for row in current.values()}
    lineages: dict[str, Lineage] = {}
    for past in Indicator.objects.filter(pk__in=other_editions).select_related("template"):
        family = past.template.family
        for edition in editions.values():
            if edition.family != family:
                continue
            lineage = lineages.setdefault(family, Lineage(family))
            found = row_in(past, edition, lineage).indicator
            if found is not None and found.pk in current:
                out[past.pk] = found.pk
                break
    return out


def outliers(root: OrgUnit, period: Period, *, states: StateScope,
             allowed: Iterable[int] | None = None, threshold: float = THRESHOLD) -> list[Outlier]:
    """Values of the reports in ``states``, against history and peers in the same scope."""
    scope = units_in_scope(root, allowed=allowed)
    same_kind = list(Period.objects.filter(kind=period.kind).values_list("id", flat=True))
    rows = _rows(same_kind, scope, states)
    current = [(u, i, v) for u, i, p, v in rows if p == period.pk]
    indicators = Indicator.objects.select_related("template").in_bulk({i for _u, i, _v in current})
    continued = _continued_rows({i for _u, i, p, _v in rows if p != period.pk}, indicators)
    history: dict[tuple[int, int], list[float]] = {}
    for unit_id, indicator_id, period_id, value in rows:
        if period_id != period.pk and (row := continued.get(indicator_id)) is not None:
            history.setdefault((unit_id, row), []).append(float(value))
    units = OrgUnit.objects.in_bulk({u for u, _i, _v in current})
    peers: dict[tuple[str, int], list[tuple[int, float]]] = {}
    for unit_id, indicator_id, value in current:
        peers.setdefault((units[unit_id].kind, indicator_id), []).append((unit_id, float(value)))
    found: list[Outlier] = []
    for unit_id, indicator_id, value in current:
        x = float(value)
        past = history.get((unit_id, indicator_id), [])
        others = [v for u, v in peers[(units[unit_id].kind, indicator_id)] if u != unit_id]
        for basis, sample, minimum in (("history", past, MIN_HISTORY), ("peers", others, MIN_PEERS)):
            if len(sample) < minimum:
                continue
            z = robust_z(x, sample)
            if z is not None and abs(z) > threshold:
                found.append(Outlier(units[unit_id], indicators[indicator_id], period, value,
                                     basis, median(sample), z, len(sample)))
    found.sort(key=lambda o: (-abs(o.z), o.unit.code, o.indicator.position))
    return found
