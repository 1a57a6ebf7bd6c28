"""What the seed says, read straight from the file by position, independent of the matcher.

The template's indicators stand in the seed's row order, so the k-th non-section row of the
seed is the k-th indicator of the template. The import (which matches by label) must agree.
"""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "parstat" / "seeds" / "000_6b98368d79752b38.txt"
TAG = re.compile(r"<[^>]+>")


def seed_rows() -> list[tuple[int, str, str, str]]:
    """(line number, label, value text, note) of each indicator row, in order."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("STT\t")) + 2
    rows = []
    for number, line in enumerate(lines[start:], start=start + 1):
        cells = [TAG.sub("", c).strip() for c in line.split("\t")]
        if len(cells) < 5 or re.fullmatch(r"[IVX]+", cells[0]):
            continue
        rows.append((number, cells[1], cells[3], cells[4]))
    return rows
