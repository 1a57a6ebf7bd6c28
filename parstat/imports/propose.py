"""What a file says about itself: which unit and which period it reports, as proposals.

The header names the issuer ("… của Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng") and the report
date; a batch also has file names ("ST-SKHDT.docx", "So Tu phap Q1.xlsx"). These only propose:
options given on the command line or in the web form always win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from rapidfuzz import fuzz

from parstat.imports.matcher import unaccented
from parstat.reporting.models import Period, PeriodKind
from parstat.reporting.periods import default_window, period_code
from parstat.units.models import OrgUnit

UNIT_THRESHOLD = 90  # below it, or too close to a second unit, nothing is proposed
UNIT_MARGIN = 5
PARENTHESES = re.compile(r"\([^)]*\)")
CODE_SEPARATORS = re.compile(r"[\s_.]+")


@dataclass(frozen=True)
class UnitGuess:
    code: str
    name: str
    score: int
    source: str  # "document" (the header's issuer) or "file name"

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "score": self.score, "source": self.source}


def _fold_name(text: str) -> str:
    return " ".join(unaccented(PARENTHESES.sub(" ", text)).casefold().split())


def _unit_names(unit: OrgUnit) -> list[str]:
    # "Sở Tư pháp (minh họa)" under "Tỉnh Minh Họa": a header says "Sở Tư pháp tỉnh Minh Họa".
    names = [unit.name]
    if unit.parent is not None:
        names.append(f"{unit.name} {unit.parent.name}")
    return [_fold_name(n) for n in names]


def _candidates(on: date | None) -> list[OrgUnit]:
    units = OrgUnit.objects.select_related("parent")
    return list(units.valid_on(on) if on else units.all())


def propose_unit(issuer: str, on: date | None = None, *, source: str = "document",
                 ) -> UnitGuess | None:
    """The registered unit whose name is the issuer's, if one stands clearly above the rest."""
    wanted = _fold_name(issuer)
    if not wanted:
        return None
    scored = sorted(((max(fuzz.token_sort_ratio(wanted, n) for n in _unit_names(u)), u)
                     for u in _candidates(on)), key=lambda pair: -pair[0])
    if not scored or scored[0][0] < UNIT_THRESHOLD:
        return None
    best_score, best = scored[0]
    if len(scored) > 1 and best_score - scored[1][0] < UNIT_MARGIN:
        return None  # two units read alike: a person must choose
    return UnitGuess(best.code, best.name, int(best_score), source)


def issuer_names_unit(issuer: str, unit: OrgUnit, *, source: str = "document"
                      ) -> UnitGuess | None:
    """``unit`` when the issuer reads as its name (the same score and threshold as
    :func:`propose_unit`), without matching every registered unit: the unit is already known."""
    wanted = _fold_name(issuer)
    if not wanted:
        return None
    score = max(fuzz.token_sort_ratio(wanted, n) for n in _unit_names(unit))
    return UnitGuess(unit.code, unit.name, int(score), source) if score >= UNIT_THRESHOLD else None


def unit_from_file_name(name: str) -> UnitGuess | None:
    """A unit code leading the file name ("ST-SKHDT_2023Q1.docx"), else a unit's name in it."""
    stem = PurePath(name).stem
    first = CODE_SEPARATORS.split(stem.strip())[0].upper()
    unit = OrgUnit.objects.filter(code__iexact=first).first() if first else None
    if unit is not None:
        return UnitGuess(unit.code, unit.name, 100, "file name")
    return propose_unit(stem.replace("_", " ").replace("-", " "), source="file name")


def propose_period(issued_on: date | None) -> str | None:
    """The latest period whose data window closed on or before the report date: a report of
    17/3/2023 reports quarter I 2023, whose window closed on 14/3."""
    if issued_on is None:
        return None
    stored = {p.code: p.end for p in Period.objects.filter(
        year__in=(issued_on.year - 1, issued_on.year))}
    closed = []
    for year in (issued_on.year - 1, issued_on.year):
        for kind in PeriodKind.values:
            code = period_code(year, kind)
            end = stored.get(code) or default_window(year, kind)[1]
            if end <= issued_on:
                closed.append((end, code))
    return max(closed)[1] if closed else None
