"""The fast .xlsx reader against openpyxl on files you have: same cells, and how much faster.

For every .xlsx under the folders (or files) given, reads every cell of every worksheet with
openpyxl (read-only, cached values, as the import did before parstat.imports.sheetxml) and
with sheetxml, and prints one line per file:

- ``same``: both readers give the same rows of cell texts;
- ``aside``: sheetxml declined the file (it uses something sheetxml does not read the way
  openpyxl does), so the import reads it with openpyxl: correct, only not faster;
- ``DIFFERS``: the two readers disagree; the first differing row is printed. This is a bug in
  sheetxml: please keep the file (if it may be shared) and report it;
- ``unreadable``: openpyxl itself cannot read it (the import refuses it as damaged).

then the counts and the median milliseconds per file of each reader (CPU time, ``--rounds``
rounds). Run it on real offices' files before trusting a new release with them; the exit status
is 1 when any file differs. Not part of the test suite (tests/test_import_sheetxml.py is).

    .venv/bin/python bench/xlsx_readers.py ~/bao-cao-cac-so/ tests/data/libreoffice/
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parstat.imports import sheetxml  # noqa: E402
from tests.test_import_sheetxml import by_openpyxl, by_sheetxml  # noqa: E402


def files_under(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.xlsx")) if path.is_dir() else [path])
    return found


def cpu_ms(read: Callable[[bytes], object], data: bytes, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        read(data)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def check(path: Path, rounds: int) -> tuple[str, float | None, float | None]:
    data = path.read_bytes()
    try:
        reference = by_openpyxl(data)
    except Exception as error:  # what openpyxl raises for a damaged file varies
        print(f"unreadable  {path}  ({type(error).__name__}: {str(error)[:80]})")
        return "unreadable", None, None
    slow = cpu_ms(by_openpyxl, data, rounds)
    try:
        fast_rows = by_sheetxml(data)
    except sheetxml.Unsupported as why:
        print(f"aside       {path}  ({why})")
        return "aside", slow, None
    if fast_rows != reference:
        print(f"DIFFERS     {path}")
        _first_difference(reference, fast_rows)
        return "differs", slow, None
    fast = cpu_ms(by_sheetxml, data, rounds)
    print(f"same        {path}  openpyxl {slow:.1f} ms, sheetxml {fast:.1f} ms")
    return "same", slow, fast


def _first_difference(reference: list, fast: list) -> None:
    if [t for t, _ in reference] != [t for t, _ in fast]:
        print(f"    sheets: openpyxl {[t for t, _ in reference]}, sheetxml {[t for t, _ in fast]}")
        return
    for (title, rows), (_, other) in zip(reference, fast, strict=True):
        for number, (a, b) in enumerate(zip(rows, other, strict=False), start=1):
            if a != b:
                print(f"    «{title}» row {number}: openpyxl {a!r}\n{'':>{len(title) + 12}}"
                      f"sheetxml {b!r}")
                return
        if len(rows) != len(other):
            print(f"    «{title}»: openpyxl {len(rows)} rows, sheetxml {len(other)}")
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help=".xlsx files or folders")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    warnings.simplefilter("ignore")  # openpyxl warns of every extension it drops
    counts: Counter[str] = Counter()
    slow_times, fast_times = [], []
    for path in files_under(options.paths):
        outcome, slow, fast = check(path, options.rounds)
        counts[outcome] += 1
        if slow is not None and fast is not None:
            slow_times.append(slow)
            fast_times.append(fast)
    print(", ".join(f"{counts[k]} {k}" for k in ("same", "aside", "differs", "unreadable")))
    if slow_times:
        slow, fast = statistics.median(slow_times), statistics.median(fast_times)
        print(f"median per file read the same: openpyxl {slow:.1f} ms, sheetxml {fast:.1f} ms "
              f"({slow / fast:.1f}× faster)")
    return 1 if counts["differs"] else 0


if __name__ == "__main__":
    sys.exit(main())
