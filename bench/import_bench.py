"""Import speed of Word and Excel files, against the libraries reading the same files alone.

Builds N seed-like .docx and .xlsx files (the seed table with values varied per file) in a
temporary folder, then for each format times, over the same files, ``--rounds`` rounds of:

- baseline: python-docx opening each file and walking every cell of every table
  (``cell.text``), or openpyxl opening it read-only and walking every row of every sheet;
- parstat read: ``read_upload`` (safety checks, sniffing, the table as rows);
- parstat first import: ``import_upload`` (read, match, parse, store with audit rows and the
  live totals, evaluate the rules), each file to a unit of its own, new units every round, so
  every value is stored;
- parstat unchanged import: the same files again into the same reports (nothing is written).

and prints the median and the fastest round in milliseconds per file (wall clock and this
process's CPU time), and the ratio of parstat's time to the baseline's of the same round (the
figure to watch; issue #16's goal is ≤ 2× for a first .xlsx import): the median and the
smallest of the rounds' wall-clock ratios and the median of their CPU-time ratios (on
SQLite the import's CPU time is nearly all of it; a busy neighbour stretches the clock). Timed rounds capture no
query (Django's query log costs a few ms per import); one more first and unchanged import, into
units of their own, count the queries and ORM model instances per file (made by
``Model.__init__``, and apart those that parstat.bulk builds without it). Each file has a unit
of its own. On a shared machine the slowest rounds measure the neighbours. Not part of the test
suite.

    .venv/bin/python bench/import_bench.py                    # 30 files of each format, SQLite
    .venv/bin/python bench/import_bench.py --files 15 --rounds 5 --formats xlsx
    DATABASE_URL=postgres://…/scratch .venv/bin/python bench/import_bench.py   # PostgreSQL:
                                                              # a scratch database, emptied
    .venv/bin/python bench/import_bench.py --compare /tmp/before --pairs 3

``--compare TREE`` runs this bench on TREE's code (``git archive REV | tar -x -C TREE``) and on
this tree's, alternately, ``--pairs`` times each, in fresh processes with the same options, and
prints every run with the load average it started at. ``--tree TREE`` alone runs it on TREE's
code (what ``--compare`` does for the older side).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _code_tree() -> Path:
    """The tree whose parstat is measured (--tree), put first on the path before Django loads."""
    if "--tree" in sys.argv:
        return Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
    return ROOT


sys.path.insert(0, str(_code_tree()))


def _setup_django(data_dir: Path) -> None:
    # A scratch SQLite database of its own, or the PostgreSQL database DATABASE_URL names,
    # emptied first: the bench never touches var/ or a real database.
    os.environ["PARSTAT_DATA_DIR"] = str(data_dir)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parstat.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if url.startswith("postgres"):
        call_command("flush", interactive=False, verbosity=0)
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
            path = folder / f"BENCH-{kind.upper()}-{number:03d}.{kind}"
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


def parstat_import(path: Path, unit_code: str) -> None:
    from parstat.imports.service import import_upload
    from parstat.reporting.actions import Actor
    from parstat.reporting.models import Source

    import_upload(path.read_bytes(), path.name, unit_code=unit_code, period_code="2023Q1",
                  acting_user=Actor(source=Source.CLI, origin="bench"))


def make_units(paths: list[Path], suffix: str) -> list[str]:
    """A unit of its own for each file (code: the file's stem and ``suffix``)."""
    from parstat.units.models import OrgUnit, UnitKind

    codes = [f"{path.stem}-{suffix}" for path in paths]
    OrgUnit.objects.bulk_create([OrgUnit(code=code, name=f"Sở thử {code}",
                                         kind=UnitKind.DEPARTMENT, synthetic=True)
                                 for code in codes])
    return codes


def timed(step: Callable[[], None]) -> tuple[float, float]:
    """Seconds and CPU seconds of one run of ``step``."""
    start, cpu = time.perf_counter(), time.process_time()
    step()
    return time.perf_counter() - start, time.process_time() - cpu


def counted(paths: list[Path], codes: list[str]) -> dict[str, float]:
    """Queries, ORM model instances (made by Model.__init__; and built by parstat.bulk without
    it) and values stored per file of one import of ``paths`` into ``codes``."""
    from django.db import connection
    from django.db.models.signals import post_init
    from django.test.utils import CaptureQueriesContext

    from parstat.reporting.models import Value

    made, built = [0], [0]

    def count(**_kwargs: object) -> None:
        made[0] += 1

    restore = None
    try:
        from parstat import bulk  # not in trees before it
    except ImportError:
        bulk = None
    if bulk is not None:
        unsaved = restore = bulk.unsaved

        def counting(*args: object, **kwargs: object) -> object:
            built[0] += 1
            return unsaved(*args, **kwargs)  # type: ignore[arg-type]

        bulk.unsaved = counting  # type: ignore[assignment]
        import parstat.reporting.actions as actions
        actions.unsaved = counting  # type: ignore[attr-defined]
    before = Value.objects.count()
    post_init.connect(count, weak=False)
    try:
        with CaptureQueriesContext(connection) as queries:
            for path, code in zip(paths, codes, strict=True):
                parstat_import(path, code)
    finally:
        post_init.disconnect(count)
        if bulk is not None and restore is not None:
            bulk.unsaved = restore
            actions.unsaved = restore  # type: ignore[attr-defined]
    n = len(paths)
    return {"queries": len(queries) / n, "objects": made[0] / n, "built": built[0] / n,
            "stored": (Value.objects.count() - before) / n}


def one_round(walk: Callable[[Path], None], paths: list[Path], codes: list[str],
              steps: dict[str, list[tuple[float, float]]]) -> None:
    """Each step over every file, in turn; ms per file (wall, CPU) added to ``steps``."""
    pairs = list(zip(paths, codes, strict=True))
    for name, step in (("walk", lambda: [walk(p) for p in paths]),
                       ("read", lambda: [parstat_read(p) for p in paths]),
                       ("first", lambda: [parstat_import(p, c) for p, c in pairs]),
                       ("unchanged", lambda: [parstat_import(p, c) for p, c in pairs])):
        seconds, cpu = timed(step)  # type: ignore[arg-type]
        steps[name].append((1000 * seconds / len(paths), 1000 * cpu / len(paths)))


def run(count: int, rounds: int, formats: list[str]) -> dict[str, object]:
    """Every step of every round, per format: ms per file (wall, CPU) and the counts."""
    from django.db import connection

    with tempfile.TemporaryDirectory(prefix="parstat-import-bench-") as temp:
        folder = Path(temp)
        _setup_django(folder)
        files = build_files(folder, count)
        walks = {"docx": walk_docx, "xlsx": walk_xlsx}
        out: dict[str, object] = {"database": connection.vendor, "files": count,
                                  "load": os.getloadavg()[0], "formats": {}}
        for kind in formats:
            paths, walk = files[kind], walks[kind]
            warm = make_units(paths[:1], "warm")  # imports, caches, the template's layout
            walk(paths[0]), parstat_read(paths[0]), parstat_import(paths[0], warm[0])
            steps: dict[str, list[tuple[float, float]]] = {
                "walk": [], "read": [], "first": [], "unchanged": []}
            for number in range(rounds):
                one_round(walk, paths, make_units(paths, f"r{number}"), steps)
            codes = make_units(paths, "counted")
            first = counted(paths, codes)
            again = counted(paths, codes)
            out["formats"][kind] = {"steps": steps, "first": first,  # type: ignore[index]
                                    "unchanged": again}
        out["load_after"] = os.getloadavg()[0]
        return out


STEPS = {"walk": {"docx": "python-docx walk", "xlsx": "openpyxl read-only walk"},
         "read": "parstat read", "first": "parstat first import", "unchanged":
         "parstat unchanged import"}


def report(result: dict[str, object], label: str = "") -> str:
    """One run's figures: per step the median and fastest round (wall, CPU) and the median of
    the rounds' ratios to the baseline's time of the same round."""
    out = io.StringIO()
    out.write(f"{label}{result['database']}, {result['files']} files, load average "
              f"{result['load']:.2f} → {result['load_after']:.2f}\n")
    out.write(f"{'format':6} {'step':26} {'median ms':>9} {'min ms':>7} {'cpu ms':>7} "
              f"{'× baseline: median':>19} {'min':>5} {'cpu':>5}\n")
    for kind, figures in result["formats"].items():  # type: ignore[attr-defined]
        steps = figures["steps"]
        base = steps["walk"]
        for name, measured in steps.items():
            title = STEPS[name][kind] if name == "walk" else STEPS[name]
            ratios = [m[0] / b[0] for m, b in zip(measured, base, strict=True)]
            cpu = [m[1] / b[1] for m, b in zip(measured, base, strict=True)]
            out.write(f"{kind:6} {title:26} {statistics.median(m[0] for m in measured):9.1f} "
                      f"{min(m[0] for m in measured):7.1f} "
                      f"{statistics.median(m[1] for m in measured):7.1f} "
                      f"{statistics.median(ratios):19.2f} {min(ratios):5.2f} "
                      f"{statistics.median(cpu):5.2f}\n")
        for name in ("first", "unchanged"):
            c = figures[name]
            out.write(f"{kind:6} {name + ' import':26} {c['queries']:5.1f} queries/file, "
                      f"{c['objects']:5.1f} ORM objects/file (+ {c['built']:.0f} built by "
                      f"parstat.bulk), {c['stored']:.0f} values stored/file\n")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=30, help="files of each format")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of every step")
    parser.add_argument("--formats", default="docx,xlsx", help="docx, xlsx or both")
    parser.add_argument("--tree", type=Path, help="measure this tree's parstat instead")
    parser.add_argument("--compare", type=Path, metavar="TREE",
                        help="alternate runs on TREE's code and on this tree's")
    parser.add_argument("--pairs", type=int, default=2, help="runs of each side (--compare)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    formats = [f.strip() for f in arguments.formats.split(",") if f.strip()]
    if arguments.compare:
        options = ["--files", str(arguments.files), "--rounds", str(arguments.rounds),
                   "--formats", ",".join(formats), "--json"]
        for pair in range(arguments.pairs):
            for side, tree in (("before", arguments.compare), ("after", None)):
                command = [sys.executable, str(Path(__file__).resolve()), *options]
                if tree is not None:
                    command += ["--tree", str(tree)]
                found = subprocess.run(command, check=True, capture_output=True, text=True)
                print(report(json.loads(found.stdout), f"[{side} {pair + 1}] "), flush=True)
        return
    result = run(arguments.files, arguments.rounds, formats)
    print(json.dumps(result) if arguments.json else report(result), end="" if not
          arguments.json else "\n")


if __name__ == "__main__":
    main()
