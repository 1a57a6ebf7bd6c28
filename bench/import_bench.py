"""Import speed of Word and Excel files, against the libraries reading the same files alone.

Builds N seed-like .docx and .xlsx files (the seed table with values varied per file) in a
temporary folder, then for each format times, over the same files:

- baseline: python-docx opening each file and walking every cell of every table
  (``cell.text``), or openpyxl opening it read-only and walking every row of every sheet;
- parstat read: ``read_upload`` (safety checks, sniffing, the table as rows);
- parstat import: ``import_upload`` into a scratch SQLite database (read, match, parse, store
  with audit rows, evaluate the rules), each file to its own unit;

and prints files per second and milliseconds per file for each, and the ratio of parstat's
time to the baseline's (the figure to watch), for a first import (every value stored, one round)
and an unchanged one (the fastest of ``--repeat`` rounds), with the queries and ORM model
instances per file of each. Each file has a unit of its own. On a shared machine the slowest
rounds measure the neighbours. Not part of
the test suite.

    .venv/bin/python bench/import_bench.py            # 30 files of each format
    .venv/bin/python bench/import_bench.py --files 100 --repeat 5

To compare with an earlier version in the same sitting, run this file from a copy of that
version's tree (``git archive REV | tar -x -C /tmp/before``) right before or after this one.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup_django(data_dir: Path) -> None:
    # A scratch SQLite database of its own: the bench never touches var/ or a real database.
    os.environ["PARSTAT_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parstat.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from parstat.catalog.loader import load_builtin_templates

    load_builtin_templates()
    from parstat.reporting.periods import periods_of_year

    periods_of_year(2023)  # the period the files are imported into, as `parstat init` makes it
    from parstat.ops.heap import freeze_startup_objects

    freeze_startup_objects()  # as a server worker (parstat/wsgi.py) and import-batch do


def build_files(folder: Path, count: int) -> dict[str, list[Path]]:
    from tests.import_fixtures import seed_docx, seed_table_rows, seed_xlsx

    rng = random.Random(81)
    files: dict[str, list[Path]] = {"docx": [], "xlsx": []}
    for number in range(count):
        rows = [r.with_value(str(rng.randint(0, 500))) if r.cells[3].isdigit()
                and r.cells[2] not in ("%",) and "=" not in r.cells[2] else r
                for r in seed_table_rows()]
        for kind, build in (("docx", seed_docx), ("xlsx", seed_xlsx)):
            path = folder / f"BENCH-{kind.upper()}-{number:03d}.{kind}"  # a unit per file
            path.write_bytes(build(rows))
            files[kind].append(path)
    return files


def walk_docx(path: Path) -> None:
    import docx

    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            for cell in row.cells:
                _ = cell.text


def walk_xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass
    book.close()


def parstat_read(path: Path) -> None:
    from parstat.imports.readers import read_upload

    read_upload(path.read_bytes(), path.name)


def parstat_import(path: Path) -> None:
    from parstat.imports.service import import_upload
    from parstat.reporting.actions import Actor
    from parstat.reporting.models import Source

    import_upload(path.read_bytes(), path.name, unit_code=path.stem, period_code="2023Q1",
                  acting_user=Actor(source=Source.CLI, origin="bench"))


def make_units(paths: list[Path]) -> None:
    from parstat.units.models import OrgUnit, UnitKind

    for path in paths:
        OrgUnit.objects.get_or_create(code=path.stem, defaults={
            "name": f"Sở thử {path.stem}", "kind": UnitKind.DEPARTMENT, "synthetic": True})


def counted(paths: list[Path]) -> tuple[float, float, float, float]:
    """Seconds, queries, ORM model instances and values stored per file of one import round."""
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test.utils import CaptureQueriesContext

    from parstat.reporting.models import Value

    made = [0]

    def count(**_kwargs: object) -> None:
        made[0] += 1

    before = Value.objects.count()
    post_init.connect(count, weak=False)
    try:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            for path in paths:
                parstat_import(path)
            seconds = time.perf_counter() - start
    finally:
        post_init.disconnect(count)
    stored = Value.objects.count() - before
    return (seconds / len(paths), len(queries) / len(paths), made[0] / len(paths),
            stored / len(paths))


def timed(step: Callable[[Path], None], paths: list[Path], repeat: int = 1) -> float:
    """Seconds of the fastest of ``repeat`` rounds over ``paths``."""
    best = float("inf")
    for _round in range(repeat):
        start = time.perf_counter()
        for path in paths:
            step(path)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30, help="files of each format")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per step; the fastest "
                                                              "counts")
    arguments = parser.parse_args()
    count, repeat = arguments.files, arguments.repeat
    with tempfile.TemporaryDirectory(prefix="parstat-import-bench-") as temp:
        folder = Path(temp)
        _setup_django(folder)
        print(f"Building {count} .docx and {count} .xlsx seed-like files …", flush=True)
        files = build_files(folder, count)
        make_units(files["docx"] + files["xlsx"])
        baselines = {"docx": ("python-docx walk", walk_docx),
                     "xlsx": ("openpyxl read-only walk", walk_xlsx)}
        out = io.StringIO()
        out.write(f"{'format':6} {'step':30} {'files/s':>9} {'ms/file':>8} "
                  f"{'× baseline time':>16}\n")
        for kind, paths in files.items():
            label, walk = baselines[kind]
            walk(paths[0]), parstat_read(paths[0])  # warm imports and caches
            base = timed(walk, paths, repeat)
            read = timed(parstat_read, paths, repeat)
            # The first round stores every value (one round: once stored, they are unchanged;
            # its time includes counting queries, which costs little); then unchanged imports.
            first = counted(paths)
            unchanged = timed(parstat_import, paths, repeat)
            again = counted(paths)
            for step, seconds in ((label, base), ("parstat read", read),
                                  ("parstat first import (SQLite)", first[0] * len(paths)),
                                  ("parstat unchanged import", unchanged)):
                out.write(f"{kind:6} {step:30} {len(paths) / seconds:9.1f} "
                          f"{1000 * seconds / len(paths):8.1f} {seconds / base:16.2f}\n")
            for label, figures in (("first import", first), ("unchanged import", again)):
                _seconds, queries, objects, stored = figures
                out.write(f"{kind:6} {label:30} {queries:6.1f} queries/file, {objects:6.1f} "
                          f"ORM objects/file ({stored:.0f} values stored/file)\n")
        print(out.getvalue(), end="")


if __name__ == "__main__":
    main()
