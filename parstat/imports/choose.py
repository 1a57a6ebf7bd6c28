"""Which table of a file, and which of its columns, hold the report's values.

- **Table**: every table (Word) or sheet (Excel) with an indicator table's header is a
  candidate; each is scored by how many of its rows carry a label of the template (equal once
  folded, or similar at the matcher's applying threshold). The best is read, and the summary
  says which and why. When the second is close to the best (``CLOSE_RATIO``), a person chooses
  (``--table N``, a choice in the web preview): two tables that both look like the report are
  a question, not a guess. A table whose rows carry *other* labels of the template than the
  best one (the rest of a table cut by a heading, "Bảng 1 (tiếp theo)") is read with it.
- **Value column**: among the columns whose header says they hold values, those marked as a
  plan, a previous period or a comparison ("Kế hoạch năm", "Cùng kỳ năm trước", "So sánh
  (%)") are skipped; of the rest, the one whose header names the report's year (and quarter,
  when it names one) is read; with no year in any header, the single remaining column is read.
  Anything else is a question (``--value-column N``, a choice in the preview).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from parstat.catalog.models import Indicator
from parstat.errors import ParstatError
from parstat.imports.grid import ValueColumn, fold_header
from parstat.imports.matcher import THRESHOLD, core_label, normalise_label
from parstat.imports.rows import FileTable
from parstat.reporting.periods import parse_period_code

CLOSE_RATIO = 0.8  # a second table matching 80 % as many rows as the best is a question
MIN_CLOSE = 5  # … when it matches at least this many rows (a stray match is no rival)
PART_OVERLAP = 0.2  # a table sharing at most this share of its labels with the best is a part
YEAR = re.compile(r"\b(20\d\d)\b")
# A part of the year a header names ("Quý III/2024", "6 tháng đầu năm"): "quý ii" must not be
# read inside "quý iii", hence the look-ahead.
QUARTER_WORDS = {
    "Q1": re.compile(r"\bquý\s*(?:i|1)(?![iv0-9])|\b(?:3|ba) tháng"),
    "S1": re.compile(r"\bquý\s*(?:ii|2)(?![iv0-9])|\b(?:6|sáu) tháng"),
    "Q3": re.compile(r"\bquý\s*(?:iii|3)(?![iv0-9])|\b(?:9|chín) tháng"),
    "Y": re.compile(r"\bquý\s*(?:iv|4)(?![iv0-9])|\b(?:12|mười hai) tháng|\bcả năm"),
}
THIS_PERIOD_WORDS = ("kỳ báo cáo", "kỳ này", "thực hiện")


@dataclass
class Choice:
    """What was chosen (index), why (reason, reason_en), and the question when nothing was.
    ``parts`` are the tables read together (a table and its parts elsewhere in the file)."""

    index: int | None
    reason: str = ""
    reason_en: str = ""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    question: ParstatError | None = None
    parts: list[int] = field(default_factory=list)


def matched_labels(table: FileTable, labels: list[str], cores: set[str]) -> tuple[int, set[str]]:
    """How many of the table's rows carry a template label (folded equal, or similar ≥ 90),
    and which labels."""
    found = set()
    rows = 0
    known = set(labels)
    for row in table.rows:
        if row.is_section:
            continue
        label = normalise_label(row.label)
        if label in known:
            found.add(label)
        elif core_label(label) in cores:
            found.add(core_label(label))
        elif best := process.extractOne(label, labels, scorer=fuzz.ratio,
                                        score_cutoff=THRESHOLD):
            found.add(best[0])
        else:
            continue
        rows += 1
    return rows, found


def choose_table(tables: list[FileTable], indicators: list[Indicator], name: str,
                 wanted: int | None, period_code: str = "") -> Choice:
    labels = sorted({normalise_label(i.label) for i in indicators})
    cores = {core_label(label) for label in labels}
    matched = [matched_labels(t, labels, cores) for t in tables]
    scores = [rows for rows, _labels in matched]
    found = [labels for _rows, labels in matched]
    candidates = [{"table": n, "where": t.where, "rows": sum(1 for r in t.rows if not r.is_section),
                   "matching": s} for n, (t, s) in enumerate(zip(tables, scores, strict=True), 1)]
    if wanted is not None:
        if not 1 <= wanted <= len(tables):
            raise ParstatError("import.table_invalid", name=name, wanted=wanted,
                               count=len(tables), choices=_table_choices(candidates))
        return Choice(wanted - 1, f"chọn theo yêu cầu (bảng {wanted})",
                      f"chosen as asked (table {wanted})", candidates, parts=[wanted - 1])
    best = max(range(len(tables)), key=lambda i: (scores[i], -i))
    parts = sorted([best, *_other_parts(found, best)])
    rivals = [s for i, s in enumerate(scores) if i not in parts]
    second = max(rivals, default=0)
    if second >= MIN_CLOSE and second >= CLOSE_RATIO * scores[best]:
        close = [i for i, s in enumerate(scores) if s >= CLOSE_RATIO * scores[best]]
        of_period = [i for i in close if _names_year(tables[i], period_code) is True]
        others_not = all(_names_year(tables[i], period_code) is False
                         for i in close if i not in of_period)
        if len(of_period) != 1 or not others_not:
            return Choice(None, candidates=candidates, question=ParstatError(
                "import.table_ambiguous", name=name, choices=_table_choices(candidates)))
        # Look-alike tables (last year's and this year's), told apart by their headers' years.
        best = of_period[0]
        where = tables[best].where or "bảng"
        year = parse_period_code(period_code)[0]
        return Choice(best, f"{where}: {scores[best]} dòng khớp nhãn chỉ tiêu; bảng giống nó "
                            f"ghi năm khác, bảng này ghi năm {year} của kỳ báo cáo",
                      f"{where_en(where)}: {scores[best]} rows match the template's labels; "
                      f"the table like it names another year, this one {year}, the report's",
                      candidates, parts=[best])
    where = " + ".join(tables[i].where or "bảng" for i in parts)
    total = sum(scores[i] for i in parts)
    reason = (f"{where}: {total} dòng khớp nhãn chỉ tiêu của biểu mẫu"
              + (f", nhiều nhất trong {len(tables)} bảng" if len(tables) > 1 else "")
              + (" (các phần khác nhau của một bảng)" if len(parts) > 1 else ""))
    reason_en = (f"{where_en(where)}: {total} rows match the template's labels"
                 + (f", the most of {len(tables)} tables" if len(tables) > 1 else "")
                 + (" (different parts of one table)" if len(parts) > 1 else ""))
    return Choice(best, reason, reason_en, candidates, parts=parts)


WHERE_EN = ((re.compile(r"bảng (\d+) của tài liệu"), r"table \1 of the document"),
            (re.compile(r"trang tính «"), "sheet «"), (re.compile(r"bảng CSV"), "CSV table"),
            (re.compile(r"bảng văn bản tách bằng tab"), "tab-separated table"))


def where_en(where: str) -> str:
    """A table's place said in English: "bảng 3 của tài liệu" → "table 3 of the document"."""
    for pattern, english in WHERE_EN:
        where = pattern.sub(english, where)
    return where


def _other_parts(found: list[set[str]], best: int) -> list[int]:
    """Tables holding other rows of the template than the best one (the rest of a table cut by
    a heading such as "(tiếp theo)"): read with it, so that their values are not left out."""
    parts: list[int] = []
    covered = set(found[best])
    for index, labels in enumerate(found):
        if index == best or len(labels) < MIN_CLOSE:
            continue
        if len(labels & covered) <= PART_OVERLAP * len(labels):
            parts.append(index)
            covered |= labels
    return parts


def _names_year(table: FileTable, period_code: str) -> bool | None:
    """Whether the table's value headers (or its sheet's name) name the period's year: None
    when they name no year at all."""
    if not period_code:
        return None
    year = parse_period_code(period_code)[0]
    texts = [c.header for c in table.value_columns if not c.other_figure] + [table.where]
    years = {int(y) for text in texts for y in YEAR.findall(text)}
    if not years:
        return None
    return year in years


def _table_choices(candidates: list[dict[str, Any]]) -> str:
    return "; ".join(f"{c['table']} = {c['where']} ({c['matching']}/{c['rows']})"
                     for c in candidates)


def choose_value_column(columns: list[ValueColumn], period_code: str, name: str,
                        wanted: int | None) -> Choice:
    candidates = [c.as_dict() for c in columns]
    if wanted is not None:
        index = next((i for i, c in enumerate(columns) if c.number == wanted), None)
        if index is None:
            raise ParstatError("import.value_column_invalid", name=name, wanted=wanted,
                               choices=_column_choices(columns))
        return Choice(index, f"chọn theo yêu cầu (cột {wanted})",
                      f"chosen as asked (column {wanted})", candidates)
    if len(columns) <= 1:
        return Choice(0, "cột kết quả duy nhất của bảng", "the table's only value column",
                      candidates)
    year, kind = parse_period_code(period_code)
    usable = [i for i, c in enumerate(columns) if not c.other_figure]
    dated = [i for i in usable if YEAR.search(columns[i].header)]
    this_year = [i for i in dated if _names_period(columns[i].header, year, kind)]
    undated = [i for i in usable if i not in dated]
    if len(this_year) == 1:
        return _picked(columns, this_year[0], f"tiêu đề cột ghi năm {year} của kỳ báo cáo",
                       f"its header names {year}, the report's year", candidates)
    if not this_year and len(undated) == 1:
        reason = ("các cột khác là kế hoạch, kỳ khác hoặc so sánh" if len(columns) > 1
                  else "cột kết quả duy nhất")
        return _picked(columns, undated[0], reason, "the other columns are a plan, another "
                       "period or a comparison", candidates)
    current = [i for i in (this_year or undated)
               if any(w in fold_header(columns[i].header) for w in THIS_PERIOD_WORDS)]
    if len(current) == 1 and len(this_year or undated) > 1 and not this_year:
        return _picked(columns, current[0], "tiêu đề cột ghi kết quả thực hiện kỳ báo cáo",
                       "its header says it is the report period's result", candidates)
    return Choice(None, candidates=candidates, question=ParstatError(
        "import.value_column_ambiguous", name=name, period=period_code,
        choices=_column_choices(columns)))


def _names_period(header: str, year: int, kind: str) -> bool:
    years = {int(y) for y in YEAR.findall(header)}
    if years != {year}:
        return False
    folded = fold_header(header)
    named = [k for k, pattern in QUARTER_WORDS.items() if pattern.search(folded)]
    return not named or kind in named


def _picked(columns: list[ValueColumn], index: int, reason: str, reason_en: str,
            candidates: list[dict[str, Any]]) -> Choice:
    return Choice(index, reason, reason_en, candidates)


def _column_choices(columns: list[ValueColumn]) -> str:
    return "; ".join(f"{c.number} = «{c.header}»" + (f" ({c.other_figure})"
                                                    if c.other_figure else "")
                     for c in columns)
