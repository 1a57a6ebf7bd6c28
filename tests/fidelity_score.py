"""Scoring an import of a corpus file against what each row meant (tests/fidelity_corpus.py).

For every indicator row with a value in the file, the outcome is exactly one of:

- **right**: the report holds the value the office meant (or, for a printed rate, the rate stays
  derived and its formula gives that value);
- **wrong**: the report holds another value — or a value where the file has none;
- **refused**: the import refused the value (a conflict) or the whole file, or asked a question
  (which table, which column), naming the row or file and what to do;
- **proposed**: the row is listed with a candidate indicator for a person to confirm (right or
  wrong candidate);
- **unmatched**: the row is listed as matching no indicator, with its text and value;
- **lost**: none of these — the value vanished without a word. Must be 0.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from parstat.errors import ParstatError
from parstat.imports.service import ImportReport, import_upload
from parstat.reporting.actions import Actor
from parstat.reporting.models import Value
from parstat.units.models import OrgUnit, UnitKind
from tests.fidelity_corpus import CorpusFile

OUTCOMES = ("right", "wrong", "refused", "proposed_right", "proposed_wrong", "unmatched", "lost")
QUESTIONS = ("import.table_ambiguous", "import.value_column_ambiguous")


@dataclass
class Score:
    file: str
    counts: Counter = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)  # what went wrong, to read
    lost: list[str] = field(default_factory=list)
    error: str = ""

    def as_row(self) -> dict[str, int]:
        return {o: self.counts[o] for o in OUTCOMES}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def unit_for(corpus_file: CorpusFile) -> str:
    code = "FID-" + corpus_file.name.split("-")[0]
    OrgUnit.objects.get_or_create(code=code, defaults={
        "name": f"Đơn vị thử {code}", "kind": UnitKind.DEPARTMENT, "synthetic": True})
    return code


def run_import(corpus_file: CorpusFile, actor: Actor) -> tuple[ImportReport | None,
                                                               ParstatError | None]:
    unit = unit_for(corpus_file)
    try:
        report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit,
                               period_code=corpus_file.period, acting_user=actor)
    except ParstatError as error:
        return None, error
    return report, None


def score(corpus_file: CorpusFile, report: ImportReport | None,
          error: ParstatError | None) -> Score:
    result = Score(corpus_file.name)
    unit = unit_for(corpus_file)
    expected = {ln.code: ln for ln in corpus_file.lines if ln.code}
    if report is None:
        result.error = f"{error.code}: {error.message}" if error else ""
        for line in expected.values():
            if line.truth is not None:
                result.counts["refused"] += 1
        return result
    stored = {v.indicator.code: v for v in Value.objects.filter(
        report__unit__code=unit, report__period__code=corpus_file.period
    ).select_related("indicator")}
    conflicts = {c["code"] for c in report.conflicts}
    derived = {m["code"] for m in report.matched if m.get("derived")}
    proposals: dict[str, list[str]] = {}
    for p in report.proposals:
        proposals.setdefault(_fold(p["file_label"]), []).append(p["code"])
    unmatched = Counter(_fold(u["file_label"]) for u in report.unmatched)
    for code, line in expected.items():
        value = stored.get(code)
        number = value.number if value is not None else None
        if line.truth is None:
            if number is not None or (value is not None and value.text is not None):
                result.counts["wrong_rows"] += 1
                result.wrong.append(f"{code}: stored {number} where the file has no value")
            continue
        label = _fold(line.label)
        if number is not None:
            if Decimal(number) == line.truth:
                result.counts["right"] += 1
            else:
                result.counts["wrong"] += 1
                result.wrong.append(f"{code}: stored {number}, meant {line.truth} "
                                    f"(cell «{line.value}»)")
        elif code in derived:
            result.counts["right"] += 1
        elif code in conflicts or report.questions:
            result.counts["refused"] += 1
        elif label in proposals:
            candidates = proposals[label]
            result.counts["proposed_right" if code in candidates else "proposed_wrong"] += 1
        elif unmatched[label] > 0:
            unmatched[label] -= 1
            result.counts["unmatched"] += 1
        else:
            result.counts["lost"] += 1
            result.lost.append(f"{code}: «{line.label}» = «{line.value}»")
    result.counts["wrong"] += result.counts.pop("wrong_rows", 0)
    return result
