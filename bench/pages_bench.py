"""The consolidators' pages at national scale, against the bare sign-in page, measured in one run.

Reads the national dataset that ``bench/consolidation_bench.py --backend postgres --keep`` built
(4,000 units in 27 provinces, 8.5 M values; the same ``PARSTAT_BENCH_DB``), never builds or drops
it. Gives it two consolidators: ``bench-national`` (Home Affairs office of the root ``VN``) and
``bench-province`` (province ``P00``, 150 units). The bench bulk-loads its reports past the
actions, so their findings were never stored; this stores them for the period measured once,
exactly as the actions do (``finding_columns(evaluate_report(report))``), and says how many.
Then, in process through Django's test client (middleware, session, permissions, rendering),
times for period 2024Q3:

- baseline: ``GET /dang-nhap/``, the bare sign-in page, signed out;
- the period page ``/periods/<code>/`` as the province's and as the national consolidator;
- completeness (``/analytics/nop-bao-cao/``) and the consolidated table (``/analytics/``) of the
  province and of the country;

and prints each median (after a warm-up; the rounds alternate, so a busy neighbour slows all
alike), the fastest, the queries per request, the page size and the ratio to the bare page, with
the goals of issue #16. Not part of the test suite.

    PARSTAT_BENCH_DB=parstat_bench .venv/bin/python bench/pages_bench.py
    .venv/bin/python bench/pages_bench.py --rounds 9 --pg-url postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/pages_bench.py --profile "period page, national"   # cProfile one page
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The script's own folder, bench/, is first on the path: its shared helper.
from request_timing import alternate  # noqa: E402

BENCH_DB = os.environ.get("PARSTAT_BENCH_DB", "parstat_bench")
PERIOD = "2024Q3"
GOALS = {  # issue #16, milliseconds
    "period page, province": 150, "period page, national": 1000,
    "completeness, national": 200, "consolidated, national": 300,
}


def _setup_django(url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["PARSTAT_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "parstat.settings"
    import django

    django.setup()


def prepare() -> tuple[object, object]:
    """The two consolidators; the period's findings stored where they were not."""
    from parstat.accounts.models import Role
    from parstat.accounts.users import ensure_user
    from parstat.reporting.actions import finding_columns
    from parstat.reporting.checks import evaluate_report
    from parstat.reporting.models import Report
    from parstat.units.models import OrgUnit

    if not OrgUnit.objects.filter(code="VN").exists():
        sys.exit(f"no dataset in {BENCH_DB}: build it with bench/consolidation_bench.py "
                 "--backend postgres --keep first")
    national = ensure_user("bench-national", password=None, full_name="Bench national",
                           roles=[("VN", Role.CONSOLIDATOR)])
    province = ensure_user("bench-province", password=None, full_name="Bench province",
                           roles=[("P00", Role.CONSOLIDATOR)])
    unstored = Report.objects.filter(period__code=PERIOD, error_count__isnull=True).select_related(
        "unit", "template", "period")
    started, count = time.perf_counter(), 0
    for report in unstored.iterator(chunk_size=500):
        Report.objects.filter(pk=report.pk).update(**finding_columns(evaluate_report(report)))
        count += 1
    if count:
        print(f"findings stored for {count:,} reports of {PERIOD} (bulk-loaded past the actions) "
              f"in {time.perf_counter() - started:.1f} s", flush=True)
    return national, province


def steps(national: object, province: object) -> dict[str, Callable[[], object]]:
    from django.test import Client

    anonymous = Client(HTTP_HOST="127.0.0.1")
    clients = {"national": Client(HTTP_HOST="127.0.0.1"),
               "province": Client(HTTP_HOST="127.0.0.1")}
    clients["national"].force_login(national)  # type: ignore[arg-type]
    clients["province"].force_login(province)  # type: ignore[arg-type]
    roots = {"national": "VN", "province": "P00"}
    out: dict[str, Callable[[], object]] = {"bare sign-in page": lambda: anonymous.get("/dang-nhap/")}
    for who in ("province", "national"):
        client, root = clients[who], roots[who]
        query = f"?unit={root}&period={PERIOD}"
        out[f"period page, {who}"] = lambda c=client: c.get(f"/periods/{PERIOD}/")
        out[f"completeness, {who}"] = lambda c=client, q=query: c.get(f"/analytics/nop-bao-cao/{q}")
        out[f"consolidated, {who}"] = lambda c=client, q=query: c.get(f"/analytics/{q}")
    return out


def profile(step: Callable[[], object]) -> None:
    import cProfile
    import pstats

    step()  # warm-up
    profiler = cProfile.Profile()
    profiler.runcall(step)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def run(rounds: int, only: str | None) -> None:
    from django.db import connection

    national, province = prepare()
    todo = steps(national, province)
    if only:
        profile(todo[only])
        return
    found = alternate(todo, rounds)
    times = {name: [m.seconds for m in ms] for name, ms in found.items()}
    facts = {name: (ms[-1].queries, ms[-1].size) for name, ms in found.items()}
    bare = statistics.median(times["bare sign-in page"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"{version}, database {BENCH_DB}, period {PERIOD}, median of {rounds} in-process "
          f"requests, same run; load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"{'request':26} {'median ms':>10} {'min ms':>8} {'queries':>8} {'KB':>7} "
          f"{'× bare':>7} {'goal ms':>8}")
    for name, samples in times.items():
        queries, size = facts[name]
        median = statistics.median(samples)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"{goal:8d} {'met' if median * 1000 < goal else 'MISSED'}"
        print(f"{name:26} {median * 1000:10.1f} {min(samples) * 1000:8.1f} {queries:8d} "
              f"{size / 1000:7.1f} {median / bare:7.1f} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page instead (its name "
                        "as printed, e.g. 'period page, national')")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parstat-pages-bench-") as data_dir:
        (Path(data_dir) / "static").mkdir()  # collected files: none needed in process
        _setup_django(f"{arguments.pg_url.rstrip('/')}/{BENCH_DB}", data_dir)
        run(arguments.rounds, arguments.profile)


if __name__ == "__main__":
    main()
