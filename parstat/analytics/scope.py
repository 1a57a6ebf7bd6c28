"""Which units' reports count under a unit: the tree as it was, or today's structure.

Reports stay filed under the unit that made them (DOMAIN.md, the 2025 reorganisation). Asked
"as filed", a unit covers itself and its descendants in the recorded tree. Asked for today's
structure, every unit is first replaced by its current successor and its parent likewise, so a
department merged away in 2025 counts under the department that holds its place today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from parstat.units.models import OrgUnit


@dataclass(frozen=True)
class _Link:
    parent_id: int | None
    successor_id: int | None


def _links() -> dict[int, _Link]:
    # One query for the whole registry (a few thousand rows): cheaper than walking it by levels.
    # Unordered: the registry's default order by code would only cost a sort.
    return {pk: _Link(parent, successor) for pk, parent, successor in
            OrgUnit.objects.order_by().values_list("id", "parent_id", "successor_id")}


def _today(unit_id: int, links: dict[int, _Link]) -> int:
    seen = {unit_id}
    while (successor := links[unit_id].successor_id) is not None and successor not in seen:
        seen.add(successor)
        unit_id = successor
    return unit_id


def _below(root_id: int, links: dict[int, _Link]) -> set[int]:
    # From the one registry query rather than a query per tree level.
    children: dict[int, list[int]] = {}
    for unit_id, link in links.items():
        if link.parent_id is not None:
            children.setdefault(link.parent_id, []).append(unit_id)
    found, frontier = {root_id}, [root_id]
    while frontier:
        frontier = [c for parent in frontier for c in children.get(parent, ()) if c not in found]
        found.update(frontier)
    return found


def units_in_scope(root: OrgUnit, *, today: bool = False,
                   allowed: Iterable[int] | None = None) -> set[int]:
    """Ids of the units whose reports count under ``root``.

    ``allowed`` (the user's visible units) cuts the result: a consolidator never gets numbers
    of a unit the permission choke point does not show them, even through a successor link.
    """
    links = _links()
    if not today:
        found = _below(root.pk, links)
    else:
        target = _today(root.pk, links)
        found = set()
        for unit_id in links:
            current: int | None = _today(unit_id, links)
            seen: set[int] = set()
            while current is not None and current not in seen:
                if current == target:
                    found.add(unit_id)
                    break
                seen.add(current)
                parent = links[current].parent_id
                current = _today(parent, links) if parent is not None else None
    if allowed is not None:
        found &= set(allowed)
    return found


def today_unit_ids(unit_ids: Iterable[int]) -> dict[int, int]:
    """unit id → id of the unit holding its place today (itself when it never merged)."""
    links = _links()
    return {unit_id: _today(unit_id, links) for unit_id in unit_ids}
