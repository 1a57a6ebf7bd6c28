"""Which template indicator each file row is: by normalised label, within its section.

Labels repeat (``Số vấn đề phát hiện đã xử lý xong`` stands under several items of section IV),
so a repeated label goes to the first unused indicator after the previous match, keeping the
file's order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from parstat.catalog.models import Indicator
from parstat.imports.rows import FileRow

BULLET = re.compile(r"^[-–•+*]\s*")
TRAILING = re.compile(r"[\s:;.,]+$")


def normalise_label(label: str) -> str:
    text = unicodedata.normalize("NFC", label).casefold()
    text = " ".join(text.split())
    text = BULLET.sub("", text)
    text = text.replace("( ", "(").replace(" )", ")")
    return TRAILING.sub("", text)


@dataclass(frozen=True)
class Match:
    row: FileRow
    indicator: Indicator


@dataclass
class MatchResult:
    matched: list[Match]
    unmatched: list[tuple[FileRow, str]]  # the row and the section numeral it stood in ("" = none)
    missing: list[Indicator]


def match_rows(rows: Iterable[FileRow], indicators: list[Indicator]) -> MatchResult:
    by_key: dict[tuple[str, str], list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_key[(indicator.section.numeral, normalise_label(indicator.label))].append(indicator)
    used: set[int] = set()
    last_position: dict[str, int] = defaultdict(int)
    result = MatchResult(matched=[], unmatched=[], missing=[])
    section = ""
    for row in rows:
        if row.is_section:
            section = row.stt
            continue
        found = _pick(by_key.get((section, normalise_label(row.label)), []), used,
                      last_position[section])
        if found is None:
            result.unmatched.append((row, section))
            continue
        used.add(found.pk)
        last_position[section] = found.position
        result.matched.append(Match(row=row, indicator=found))
    result.missing = [i for i in indicators if i.pk not in used]
    return result


def _pick(candidates: list[Indicator], used: set[int], after: int) -> Indicator | None:
    free = [c for c in candidates if c.pk not in used]
    later = [c for c in free if c.position > after]
    pool = later or free
    return pool[0] if pool else None
