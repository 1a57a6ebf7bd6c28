"""Which template indicator each file row is: by label, within its section, then by similarity.

1. Confirmations (a person said "row 14 is I.1.b" in the preview) come first.
2. Exact: labels equal after NFC, case folding, folding of spaces, bullets and trailing
   punctuation. Labels repeat (``Tổng số người làm việc có mặt`` twice in section IV), so a
   repeated label goes to the first unused indicator after the previous match, keeping the
   file's order.
3. Similar: the rest are scored 0–100 against the section's labels (rapidfuzz; see
   :func:`similarity`). A score of at least ``THRESHOLD`` is applied when it also beats every
   other label by ``MARGIN``, or when the indicator is the very next unused one after the
   previous match (the file's order agrees); anything from ``PROPOSAL_FLOOR`` up is only
   proposed for a person to confirm. Why these figures: docs/import.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from parstat.catalog.models import Indicator
from parstat.errors import ParstatError
from parstat.imports.rows import FileRow

BULLET = re.compile(r"^[-–•+*]\s*")
# Numbering typed into the label cell: "4.1.", "4.1", "2)", "(3)", "a)", "b.", "+", "*", "-".
NUMBERING = re.compile(r"^(?:(?:\d{1,2}\.)+\d{0,2}\.?|\d{1,2}\)|\(\d{1,2}\)|[a-zđ][).]"
                       r"|[ivx]{1,4}[.)])\s+")
TRAILING = re.compile(r"[\s:;.,]+$")
TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")  # "… (nếu có)", "… (Lũy kế đến …)"
DIGITS = re.compile(r"\d+")
# Written out or abbreviated, the same words: folded to the abbreviation on both sides.
ABBREVIATIONS = (
    ("cán bộ, công chức, viên chức", "cbccvc"), ("cán bộ công chức viên chức", "cbccvc"),
    ("văn bản quy phạm pháp luật", "vbqppl"), ("thủ tục hành chính", "tthc"),
    ("cải cách hành chính", "cchc"), ("sự nghiệp công lập", "sncl"),
    ("ngân sách nhà nước", "nsnn"), ("bưu chính công ích", "bcci"),
    ("ủy ban nhân dân", "ubnd"), ("uỷ ban nhân dân", "ubnd"), ("dịch vụ công", "dvc"),
)
# A district's or commune's wording of a department's indicator: "UBND huyện giao" is
# "UBND tỉnh giao" one level down; "cơ quan, đơn vị" and "cơ quan đơn vị" are one phrase.
WORDING = (
    (re.compile(r"\bubnd (?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\b"), "ubnd"),
    (re.compile(r"\b(?:sở,? ngành|phòng,? ban|huyện,? thị xã,? thành phố)\b"), "cơ quan"),
    (re.compile(r"\s*,\s*"), ", "),
)

# The template's own labels reach 98 against each other ("… mức độ 3" / "… mức độ 4"), so no
# score alone is safe: a match is applied only at THRESHOLD or more AND at least MARGIN ahead of
# the next different label, and labels whose numbers differ never reach THRESHOLD.
THRESHOLD = 90
MARGIN = 5
PROPOSAL_FLOOR = 60
UNACCENTED_PENALTY = 5  # typed without diacritics: same words, a little less certain

EXACT, FUZZY, CONFIRMED = "exact", "fuzzy", "confirmed"


@lru_cache(maxsize=8192)  # the template's labels are folded for every file, rows again per pass
def normalise_label(label: str) -> str:
    """The compare-form of a label: NFC, case and spaces folded, numbering and bullets typed
    into the cell dropped, abbreviations and a lower level's wording folded."""
    text = unicodedata.normalize("NFC", label).casefold()
    text = " ".join(text.split())
    for _ in range(2):  # "4.1. - Số …"
        text = NUMBERING.sub("", BULLET.sub("", text))
    text = text.replace("( ", "(").replace(" )", ")")
    for long, short in ABBREVIATIONS:
        text = text.replace(long, short)
    for pattern, same in WORDING:
        text = pattern.sub(same, text)
    return TRAILING.sub("", text)


@lru_cache(maxsize=8192)
def core_label(normalised: str) -> str:
    """A normalised label without its trailing note in parentheses ("(nếu có)")."""
    core = normalised
    while (shorter := TRAILING_NOTE.sub("", core)) != core and shorter:
        core = TRAILING.sub("", shorter)
    return core


@lru_cache(maxsize=4096)  # the template's labels are compared again for every unmatched row
def unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def similarity(file_label: str, label: str) -> int:
    """0–100 between two normalised labels: the better of plain and word-order-free ratios,
    also without diacritics (minus a penalty); capped below THRESHOLD when their numbers
    differ, because the number is the meaning ("mức độ 3" vs "mức độ 4", "100%")."""
    score = max(fuzz.ratio(file_label, label), fuzz.token_sort_ratio(file_label, label))
    if score < 100:
        bare_file, bare = unaccented(file_label), unaccented(label)
        score = max(score, max(fuzz.ratio(bare_file, bare),
                               fuzz.token_sort_ratio(bare_file, bare)) - UNACCENTED_PENALTY)
    if DIGITS.findall(file_label) != DIGITS.findall(label):
        score = min(score, THRESHOLD - 1)
    return int(score)


@dataclass(frozen=True)
class Match:
    row: FileRow
    indicator: Indicator
    score: int = 100
    method: str = EXACT


@dataclass(frozen=True)
class Proposal:
    row: FileRow
    section: str
    indicator: Indicator
    score: int


@dataclass
class MatchResult:
    matched: list[Match]
    unmatched: list[tuple[FileRow, str]]  # the row and the section numeral it stood in ("" = none)
    missing: list[Indicator]
    proposals: list[Proposal] = field(default_factory=list)  # a subset of the unmatched rows


def placed_rows(rows: Iterable[FileRow]) -> list[tuple[FileRow, str]]:
    """Indicator rows with the section numeral they stand in."""
    placed, section = [], ""
    for row in rows:
        if row.is_section:
            section = row.stt
        else:
            placed.append((row, section))
    return placed


class _Matcher:
    def __init__(self, indicators: list[Indicator]) -> None:
        self.indicators = indicators
        self.sections = {i.section.numeral for i in indicators}
        self.groups: dict[str, dict[str, list[Indicator]]] = defaultdict(lambda: defaultdict(list))
        self.cores: dict[str, dict[str, list[Indicator]]] = defaultdict(lambda: defaultdict(list))
        for indicator in sorted(indicators, key=lambda i: i.position):
            label = normalise_label(indicator.label)
            for key in (indicator.section.numeral, ""):  # "": rows outside any known section
                self.groups[key][label].append(indicator)
                self.cores[key][core_label(label)].append(indicator)
        self.in_order: dict[str, list[Indicator]] = defaultdict(list)
        for key, groups in self.groups.items():
            self.in_order[key] = sorted((i for g in groups.values() for i in g),
                                        key=lambda i: i.position)
        self.used: set[int] = set()
        self.found: dict[int, Match] = {}

    def section_key(self, section: str) -> str:
        return section if section in self.sections else ""

    def take(self, match: Match) -> None:
        self.used.add(match.indicator.pk)
        self.found[match.row.row] = match

    def next_free(self, key: str, anchor: int) -> Indicator | None:
        return next((i for i in self.in_order[key]
                     if i.position > anchor and i.pk not in self.used), None)

    def free_in(self, group: list[Indicator], anchor: int) -> Indicator | None:
        """The group's unused indicator next after ``anchor``, else the nearest one."""
        free = [i for i in group if i.pk not in self.used]
        later = [i for i in free if i.position > anchor]
        if later:
            return later[0]
        return min(free, key=lambda i: abs(i.position - anchor), default=None)


def match_rows(rows: Iterable[FileRow], indicators: list[Indicator],
               confirm: Mapping[int, str] | None = None) -> MatchResult:
    placed = placed_rows(rows)
    matcher = _Matcher(indicators)
    rejected = _apply_confirmations(matcher, placed, confirm or {})
    _exact_pass(matcher, placed)
    proposals = _similar_pass(matcher, placed, rejected)
    return MatchResult(
        matched=[matcher.found[row.row] for row, _s in placed if row.row in matcher.found],
        unmatched=[(row, s) for row, s in placed if row.row not in matcher.found],
        missing=[i for i in indicators if i.pk not in matcher.used],
        proposals=proposals,
    )


def _apply_confirmations(matcher: _Matcher, placed: list[tuple[FileRow, str]],
                         confirm: Mapping[int, str]) -> set[int]:
    """Apply a person's choices; an empty code keeps that row unmatched (a refused proposal)."""
    rows = {row.row: row for row, _s in placed}
    by_code = {i.code: i for i in matcher.indicators}
    rejected: set[int] = set()
    for number, code in sorted(confirm.items()):
        if number not in rows:
            raise ParstatError("import.confirm_invalid", row=number, code=code,
                               reason="confirm.no_row")
        if not code:
            rejected.add(number)
            continue
        indicator = by_code.get(code)
        if indicator is None:
            raise ParstatError("import.confirm_invalid", row=number, code=code,
                               reason="confirm.no_indicator")
        if indicator.pk in matcher.used:
            raise ParstatError("import.confirm_invalid", row=number, code=code,
                               reason="confirm.taken")
        score = similarity(normalise_label(rows[number].label), normalise_label(indicator.label))
        matcher.take(Match(rows[number], indicator, score, CONFIRMED))
    return rejected


def _exact_pass(matcher: _Matcher, placed: list[tuple[FileRow, str]]) -> None:
    last_position: dict[str, int] = defaultdict(int)
    for row, section in placed:
        key = matcher.section_key(section)
        if row.row in matcher.found:
            last_position[key] = matcher.found[row.row].indicator.position
            continue
        label = normalise_label(row.label)
        group = matcher.groups[key].get(label, [])
        found = matcher.free_in(group, last_position[key])
        if found is None and not group:
            # Equal once a note in parentheses is left out on both sides, when that names one
            # label of the section only: "Số phòng ban … (nếu có)" typed without "(nếu có)".
            cores = matcher.cores[key].get(core_label(label), [])
            if len({normalise_label(i.label) for i in cores}) == 1:
                found = matcher.free_in(cores, last_position[key])
        if found is not None:
            matcher.take(Match(row, found))
            last_position[key] = found.position


def _similar_pass(matcher: _Matcher, placed: list[tuple[FileRow, str]],
                  rejected: set[int]) -> list[Proposal]:
    proposals = []
    anchor: dict[str, int] = defaultdict(int)
    for row, section in placed:
        key = matcher.section_key(section)
        if row.row in matcher.found:
            anchor[key] = matcher.found[row.row].indicator.position
            continue
        if row.row in rejected:
            continue
        best = _best_candidate(matcher, key, normalise_label(row.label), anchor[key])
        if best is None:
            continue
        indicator, score, lead = best
        in_place = indicator == matcher.next_free(key, anchor[key])
        if score >= THRESHOLD and (lead >= MARGIN or in_place):
            matcher.take(Match(row, indicator, score, FUZZY))
            anchor[key] = indicator.position
        elif score >= PROPOSAL_FLOOR:
            proposals.append(Proposal(row, section, indicator, score))
    return proposals


def _best_candidate(matcher: _Matcher, key: str, label: str,
                    anchor: int) -> tuple[Indicator, int, int] | None:
    """The best free indicator, its score, and its lead over the best other label."""
    scored = sorted(((similarity(label, other), other) for other in matcher.groups[key]),
                    key=lambda pair: -pair[0])
    for index, (score, other) in enumerate(scored):
        indicator = matcher.free_in(matcher.groups[key][other], anchor)
        if indicator is None:
            continue
        rivals = [s for i, (s, _o) in enumerate(scored) if i != index]
        return indicator, score, score - max(rivals, default=0)
    return None
