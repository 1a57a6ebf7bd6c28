"""Consolidation at national scale, on SQLite and on PostgreSQL.

Builds a synthetic national dataset (4,000 reporting units in 27 provinces of up to 150 units,
4 periods a year for 3 years, every indicator of B1-SN-2023 filled: about 8.5 million values),
bulk-loaded with COPY (PostgreSQL) or executemany (SQLite), never the ORM row by row. Then times,
for one period:

- the consolidated table (``parstat.analytics.consolidation.consolidate``) of one province
  (150 units) and of the whole country, exactly as the pages and ``parstat export`` run it;
- the plain SQL aggregation of the same values (one GROUP BY indicator over the same reports,
  sums, non-null counts and counts of ones), measured in the same run, as the baseline;

and prints each time with its ratio to the baseline (median of several runs after a warm-up).

    .venv/bin/python bench/consolidation_bench.py                 # both databases
    .venv/bin/python bench/consolidation_bench.py --backend sqlite
    .venv/bin/python bench/consolidation_bench.py --backend postgres --pg-url postgres://postgres@127.0.0.1:5432

PostgreSQL gets a database of its own (``parstat_bench``), dropped at the end. To time a change
without rebuilding (minutes), build once with ``--keep --data-dir DIR`` (the SQLite file goes
there), then time again with ``--reuse --keep --data-dir DIR``; drop ``parstat_bench`` and DIR
when done (a last run without ``--keep`` drops the database).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# PARSTAT_BENCH_UNITS and PARSTAT_BENCH_YEARS shrink the dataset for a quick run (the national
# figures in docs/analytics.md are of the default size); PARSTAT_BENCH_DB names the database.
UNITS = int(os.environ.get("PARSTAT_BENCH_UNITS", "4000"))
PER_PROVINCE = 150
PROVINCES = -(-UNITS // PER_PROVINCE)
YEARS = tuple(range(2025 - int(os.environ.get("PARSTAT_BENCH_YEARS", "3")), 2025))
BENCH_DB = os.environ.get("PARSTAT_BENCH_DB", "parstat_bench")
REPEATS = 7
NULL = "\\N"  # COPY's text-format null
Maker = Callable[[random.Random], tuple[str | None, str | None]]


# --------------------------------------------------------------------------- data


def _value_maker(kind: str, choices: list) -> Maker:
    if kind == "percent":
        return lambda rng: (f"{rng.uniform(50, 100):.1f}", None)
    if kind in ("flag", "choice"):
        options = [str(c["value"]) for c in choices]
        return lambda rng: (rng.choice(options), None)
    if kind == "text":
        return lambda rng: (None, f"Nhiệm vụ khác số {rng.randint(1, 99)}")
    if kind == "decimal":
        return lambda rng: (f"{rng.uniform(0, 500):.2f}", None)
    return lambda rng: (str(int(rng.expovariate(1 / 25))), None)


def build_units() -> tuple[int, int, list[int]]:
    """The tree: a national root, 27 provinces, 4,000 departments. Returns root, first
    province, and the reporting unit ids."""
    from parstat.units.models import OrgUnit, UnitKind

    root = OrgUnit.objects.create(code="VN", name="Toàn quốc (bench)", kind=UnitKind.HOME_AFFAIRS)
    provinces = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"P{p:02d}", name=f"Tỉnh {p:02d}", kind=UnitKind.PROVINCE, parent=root)
        for p in range(PROVINCES))
    units = OrgUnit.objects.bulk_create(
        (OrgUnit(code=f"P{n // PER_PROVINCE:02d}-U{n:04d}", name=f"Đơn vị {n:04d}",
                 kind=UnitKind.DEPARTMENT, parent=provinces[n // PER_PROVINCE],
                 contact=f"u{n:04d}@bench.example")
         for n in range(UNITS)), batch_size=1000)
    return root.pk, provinces[0].pk, [u.pk for u in units]


def build_reports(unit_ids: list[int]) -> list[tuple[int, int]]:
    """Reports for every unit and period, submitted; returns (report id, period id)."""
    from django.utils import timezone

    from parstat.catalog.models import Template
    from parstat.reporting.models import Report
    from parstat.reporting.periods import periods_of_year

    template = Template.objects.get(code="B1-SN-2023")
    periods = [p for year in YEARS for p in periods_of_year(year)]
    now = timezone.now()
    Report.objects.bulk_create(
        (Report(unit_id=u, template=template, period=p, state="submitted", submitted_at=now,
                synthetic=True) for p in periods for u in unit_ids), batch_size=5000)
    return list(Report.objects.values_list("id", "period_id"))


def value_makers() -> list[tuple[int, Maker]]:
    from parstat.catalog.models import Indicator

    return [(i.pk, _value_maker(i.kind, i.choices))
            for i in Indicator.objects.filter(template__code="B1-SN-2023")]


def value_rows(report_ids: list[int], makers: list[tuple[int, Maker]]
               ) -> Iterator[tuple[int, int, str | None, str | None]]:
    # Makers are read before any COPY starts: the connection cannot query in mid-COPY.
    rng = random.Random(2025)
    for report_id in report_ids:
        for indicator_id, make in makers:
            number, text = make(rng)
            yield report_id, indicator_id, number, text


def load_values(report_ids: list[int]) -> int:
    from django.db import connection

    from parstat.reporting.models import Value

    table = Value._meta.db_table
    makers = value_makers()
    columns = "(report_id, indicator_id, number, text, note)"
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor: COPY … FROM STDIN, text format
            with raw.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                lines: list[str] = []
                for report_id, indicator_id, number, text in value_rows(report_ids, makers):
                    # Our texts hold no tab, newline or backslash, so no COPY escaping is needed.
                    lines.append(f"{report_id}\t{indicator_id}\t{number or NULL}\t"
                                 f"{text or NULL}\t\n")
                    if len(lines) == 100_000:
                        copy.write("".join(lines))
                        count += len(lines)
                        lines.clear()
                copy.write("".join(lines))
                count += len(lines)
        else:
            cursor.execute("PRAGMA synchronous=OFF")
            batch: list[tuple] = []
            sql = f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, '')"
            for row in value_rows(report_ids, makers):
                batch.append(row)
                if len(batch) == 200_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            cursor.executemany(sql, batch)
            count += len(batch)
        cursor.execute("ANALYZE")
    return count


# --------------------------------------------------------------------------- timing


def plain_sql(period_id: int, template_id: int, parent_id: int | None) -> list:
    """The baseline: one GROUP BY over the same values, the same measures, nothing else."""
    from django.db import connection

    # Only the reports the consolidation counts (its scope "submitted": submitted, accepted).
    where = "r.period_id = %s AND r.template_id = %s AND r.state IN ('submitted', 'accepted')"
    params: list[int] = [period_id, template_id]
    if parent_id is not None:
        where += " AND r.unit_id IN (SELECT id FROM units_orgunit WHERE parent_id = %s)"
        params.append(parent_id)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.indicator_id, SUM(v.number), COUNT(v.number), COUNT(v.text), "
            "SUM(CASE WHEN v.number = 1 THEN 1 ELSE 0 END) "
            "FROM reporting_value v JOIN reporting_report r ON r.id = v.report_id "
            f"WHERE {where} GROUP BY v.indicator_id", params)
        return cursor.fetchall()


def timed(run: Callable[[], object]) -> float:
    run()  # warm-up: caches, compiled template, query plans
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_backend(label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from parstat.analytics.consolidation import consolidate
    from parstat.analytics.states import StateScope
    from parstat.analytics.totals import rebuild_totals
    from parstat.catalog.loader import load_builtin_templates
    from parstat.catalog.models import Template
    from parstat.ops.heap import freeze_startup_objects
    from parstat.reporting.models import Period
    from parstat.units.models import OrgUnit

    started = time.perf_counter()
    if os.environ.get("PARSTAT_BENCH_REUSE") and OrgUnit.objects.filter(code="VN").exists():
        root_id = OrgUnit.objects.get(code="VN").pk
        province_id = OrgUnit.objects.get(code="P00").pk
        unit_ids = list(OrgUnit.objects.filter(parent__parent_id=root_id).values_list("id", flat=True))
        print(f"[{label}] {connection.vendor}: reusing the built dataset, {len(unit_ids)} units",
              flush=True)
    else:
        call_command("migrate", verbosity=0)
        load_builtin_templates()
        root_id, province_id, unit_ids = build_units()
        reports = build_reports(unit_ids)
        loaded = load_values([r for r, _ in reports])
        print(f"[{label}] {connection.vendor}: {len(unit_ids)} units, {len(reports)} reports, "
              f"{loaded:,} values loaded in {time.perf_counter() - started:.0f} s", flush=True)

    # The values were bulk-loaded past the actions: count the live totals once, as
    # `parstat rebuild-totals` does after a restore. A reused dataset keeps the totals its build
    # counted (a minute of both cores nationally); PARSTAT_BENCH_REBUILD=1 counts them again.
    if not os.environ.get("PARSTAT_BENCH_REUSE") or os.environ.get("PARSTAT_BENCH_REBUILD"):
        started = time.perf_counter()
        rebuilt = rebuild_totals()
        print(f"[{label}] live totals rebuilt: {rebuilt.groups} groups, {rebuilt.parts:,} parts "
              f"({rebuilt.differed:,} differed) in {time.perf_counter() - started:.1f} s",
              flush=True)
    # As each server worker does once loaded (parstat/ops/heap.py): without it the collector's
    # full walks of the build's and start-up's objects landed in the timings (a national table
    # timed 40–70 ms by where they fell).
    freeze_startup_objects()
    period = Period.objects.get(code="2024Q3")
    template = Template.objects.get(code="B1-SN-2023")
    root, province = OrgUnit.objects.get(pk=root_id), OrgUnit.objects.get(pk=province_id)
    check = consolidate(root, period, states=StateScope.SUBMITTED).total("I.1.a")
    assert check.units == len(unit_ids), check  # every unit counted once
    for name, unit, parent in (("province (150 units)", province, province_id),
                               (f"national ({len(unit_ids):,} units)", root, None)):
        live = consolidate(unit, period, states=StateScope.SUBMITTED)
        scanned = consolidate(unit, period, states=StateScope.SUBMITTED, scan=True)
        assert live.totals == scanned.totals, name  # the same table, whichever way it is added
        baseline = timed(partial(plain_sql, period.pk, template.pk, parent))
        scan = timed(partial(consolidate, unit, period, states=StateScope.SUBMITTED, scan=True))
        ours = timed(partial(consolidate, unit, period, states=StateScope.SUBMITTED))
        print(f"[{label}] {name:24s} live totals {ours * 1000:8.1f} ms   scan of the values "
              f"{scan * 1000:8.1f} ms   plain SQL {baseline * 1000:8.1f} ms   live/plain "
              f"{ours / baseline:5.2f}×   load average {os.getloadavg()[0]:.2f}", flush=True)


# --------------------------------------------------------------------------- driver


def _child(backend: str, url: str, data_dir: str, reuse: bool) -> int:
    env = {**os.environ, "DATABASE_URL": url, "PARSTAT_DATA_DIR": data_dir,
           "DJANGO_SETTINGS_MODULE": "parstat.settings"}
    if reuse:
        env["PARSTAT_BENCH_REUSE"] = "1"
    return subprocess.call([sys.executable, __file__, "--child", backend], env=env, cwd=ROOT)


def _admin_pg(pg_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{pg_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true",
                        help="keep the PostgreSQL database afterwards (drop it yourself)")
    parser.add_argument("--reuse", action="store_true",
                        help="time the dataset a --keep run left (parstat_bench, --data-dir)")
    parser.add_argument("--data-dir", help="where the SQLite file goes (default: a temporary "
                        "directory, removed at the end)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        run_backend(args.child)
        return 0
    status = 0
    with tempfile.TemporaryDirectory(prefix="parstat-bench-") as scratch:
        data_dir = args.data_dir or scratch
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        if args.backend in ("sqlite", "both"):
            sqlite_file = Path(data_dir) / "bench.sqlite3"
            if not args.reuse:
                sqlite_file.unlink(missing_ok=True)
            status |= _child("SQLite", f"sqlite:///{sqlite_file}", data_dir, args.reuse)
            if not args.keep and args.data_dir:
                sqlite_file.unlink(missing_ok=True)
        if args.backend in ("postgres", "both"):
            if not args.reuse:
                _admin_pg(args.pg_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
                _admin_pg(args.pg_url, f"CREATE DATABASE {BENCH_DB}")
            try:
                status |= _child("PostgreSQL", f"{args.pg_url.rstrip('/')}/{BENCH_DB}", data_dir,
                                 args.reuse)
            finally:
                if not args.keep:
                    _admin_pg(args.pg_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    return status


if __name__ == "__main__":
    sys.exit(main())
