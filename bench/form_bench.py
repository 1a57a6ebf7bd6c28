"""The entry form and one cell autosave, against the bare sign-in page, measured in one run.

Builds the demo (``parstat init --demo``) in a scratch SQLite database of its own, gives a
reporter the demo department DEMO-S11 and takes its report of the latest demo period (a
draft, with its history), then, in process through Django's test client (the whole request
path: middleware, session, permissions, rendering), times:

- baseline: ``GET /dang-nhap/``, the bare sign-in page, signed out;
- the entry form: ``GET /reports/<pk>/``, signed in as the reporter;
- one cell autosave: ``POST /reports/<pk>/cell/`` of one count cell (the field and the
  version only, url-encoded, as the page's htmx posts it; ``--multipart`` as the test client
  posts by default), alternating two values so each save writes;

and prints each median (after a warm-up; the rounds alternate, so a busy neighbour slows all
three alike), the page size, the queries per request, and the ratios to the bare page (goals:
the form ≤ 10×, a cell save ≤ 5× and ≤ 6 queries): median to median, fastest to fastest, and
of this process's CPU time (steadier on a shared machine, where the clock also counts the
time other people's work took the core; on PostgreSQL the server's CPU is not in it). Not
part of the test suite.

    .venv/bin/python bench/form_bench.py                  # 15 rounds
    .venv/bin/python bench/form_bench.py --rounds 31
    .venv/bin/python bench/form_bench.py --keep DIR       # build once into DIR, reuse after
    .venv/bin/python bench/form_bench.py --queries        # and list one cell save's statements
    .venv/bin/python bench/form_bench.py --database-url postgres://postgres@127.0.0.1/NAME

To compare with an earlier version in the same sitting, run this file from a copy of that
version's tree (``git archive REV | tar -x -C /tmp/before``) right before or after this one.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The script's own folder, bench/, is first on the path: its shared helper.
from request_timing import alternate  # noqa: E402

UNIT = "DEMO-S11"


def _setup_django(data_dir: Path, database_url: str | None = None) -> bool:
    """Django on a scratch SQLite file in ``data_dir`` (or the database at ``database_url``);
    True when the demo is already there."""
    os.environ["PARSTAT_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "parstat.settings"
    existed = (data_dir / "bench.sqlite3").exists()
    import django

    django.setup()
    if database_url:
        from django.db import connection

        existed = "reporting_report" in connection.introspection.table_names()
    return existed


def build_demo() -> None:
    from django.core.management import call_command

    call_command("init", "--demo", verbosity=0)


def subject() -> tuple[object, object, str]:
    """The reporter, the report and the code of the count cell the autosave writes."""
    from parstat.accounts.models import Role
    from parstat.accounts.users import ensure_user
    from parstat.catalog.models import Indicator, Kind
    from parstat.demo import LATEST_DEMO_PERIOD
    from parstat.reporting.models import Report

    user = ensure_user("bench-reporter", password="bench-pw-2026", full_name="Bench",
                       roles=[(UNIT, Role.REPORTER)])
    report = Report.objects.get(unit__code=UNIT, period__code=LATEST_DEMO_PERIOD)
    cell = (Indicator.objects.filter(template=report.template, kind=Kind.COUNT, formula="")
            .order_by("position").values_list("code", flat=True).first())
    assert cell is not None
    return user, report, cell


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--keep", metavar="DIR", help="build the demo into DIR (or reuse it)")
    parser.add_argument("--database-url", metavar="URL",
                        help="an empty PostgreSQL database of your own instead of SQLite "
                             "(the demo is built into it, or reused; drop it yourself)")
    parser.add_argument("--multipart", action="store_true",
                        help="post the cell as multipart/form-data (the test client's default, "
                             "and this bench's before 2026-12-03), not url-encoded as htmx does")
    parser.add_argument("--queries", action="store_true",
                        help="also print every SQL statement of one cell save")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parstat-form-bench-") as temp:
        folder = Path(arguments.keep) if arguments.keep else Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        if not _setup_django(folder, arguments.database_url):
            print("Building the demo (parstat init --demo) …", flush=True)
            build_demo()
        run(arguments.rounds, show_queries=arguments.queries,
            multipart=arguments.multipart)


def run(rounds: int, *, show_queries: bool = False, multipart: bool = False) -> None:
    from django.test import Client
    from django.test.client import MULTIPART_CONTENT

    user, report, cell = subject()
    pk = report.pk  # type: ignore[attr-defined]
    anonymous, reporter = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    reporter.force_login(user)  # type: ignore[arg-type]
    values = iter(range(10**9))
    version = [report.version]  # type: ignore[attr-defined]

    def save() -> object:
        # The version the page holds: the one the previous save's answer gave back.
        field = f"v:{cell}"
        data = {field: str(100 + next(values) % 2), "version": str(version[0])}
        # htmx posts a form's fields url-encoded; Django's test client would send multipart.
        body, kind = ((data, MULTIPART_CONTENT) if multipart else
                      (urlencode(data), "application/x-www-form-urlencoded"))
        response = reporter.post(f"/reports/{pk}/cell/", body, content_type=kind,
                                 HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)
        found = re.search(r'id="report-version" name="version" value="(\d+)"',
                          response.content.decode())
        assert found, "the answer carries the report's version"
        version[0] = int(found.group(1))
        return response

    steps: dict[str, Callable[[], object]] = {
        "bare sign-in page": lambda: anonymous.get("/dang-nhap/"),
        "entry form GET": lambda: reporter.get(f"/reports/{pk}/"),
        "one cell autosave": save,
    }
    found = alternate(steps, rounds, warm_ups=2)
    times = {name: [m.seconds for m in ms] for name, ms in found.items()}
    cpus = {name: [m.cpu for m in ms] for name, ms in found.items()}
    facts = {name: (ms[-1].queries, ms[-1].size) for name, ms in found.items()}
    bare = statistics.median(times["bare sign-in page"])
    bare_min = min(times["bare sign-in page"])
    bare_cpu = statistics.median(cpus["bare sign-in page"])
    print(f"report {UNIT} {report.period.code} (pk {pk}), "  # type: ignore[attr-defined]
          f"median of {rounds} in-process requests, same run")
    print(f"{'request':20} {'median ms':>10} {'min ms':>8} {'queries':>8} {'KB':>7} "
          f"{'× bare':>7} {'min × min':>10} {'cpu ms':>7} {'cpu × bare':>11}")
    for name, samples in times.items():
        queries, size = facts[name]
        median, cpu = statistics.median(samples), statistics.median(cpus[name])
        print(f"{name:20} {median * 1000:10.1f} {min(samples) * 1000:8.1f} {queries:8d} "
              f"{size / 1000:7.1f} {median / bare:7.1f} {min(samples) / bare_min:10.1f} "
              f"{cpu * 1000:7.1f} {cpu / bare_cpu:11.1f}")
    print("cpu: this process's CPU time (median), steadier than the clock on a shared machine; "
          "a PostgreSQL server's own is not in it")
    print("goals: entry form ≤ 10× the bare page; a cell save ≤ 5× and ≤ 6 queries")
    if show_queries:
        print_queries(save)


def print_queries(step: Callable[[], object]) -> None:
    """Every statement of one more request of ``step``, shortened to a line each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        step()
    print(f"the {len(queries)} statements of one cell save:")
    for number, query in enumerate(queries.captured_queries, 1):
        sql = " ".join(query["sql"].split())
        print(f"{number:3d}. {sql[:150]}{'…' if len(sql) > 150 else ''}")


if __name__ == "__main__":
    main()
