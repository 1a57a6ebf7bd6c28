"""The entry form and one cell autosave, against the bare sign-in page, measured in one run.

Builds the demo (``parstat init --demo``) in a scratch SQLite database of its own, gives a
reporter the demo department DEMO-S11 and takes its report of the latest demo period (a
draft, with its history), then, in process through Django's test client (the whole request
path: middleware, session, permissions, rendering), times:

- baseline: ``GET /dang-nhap/``, the bare sign-in page, signed out;
- the entry form: ``GET /reports/<pk>/``, signed in as the reporter;
- one cell autosave: ``POST /reports/<pk>/cell/`` of one count cell (the field and the
  version only, as the page's htmx posts it), alternating two values so each save writes;

and prints each median (after a warm-up; the rounds alternate, so a busy neighbour slows all
three alike), the page size, the queries per request, and the ratios to the bare page (goals:
the form ≤ 10×, a cell save ≤ 5× and ≤ 6 queries): median to median, and fastest to fastest
(steadier on a shared machine). Not part of the test suite.

    .venv/bin/python bench/form_bench.py                  # 15 rounds
    .venv/bin/python bench/form_bench.py --rounds 31
    .venv/bin/python bench/form_bench.py --keep DIR       # build once into DIR, reuse after

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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The script's own folder, bench/, is first on the path: its shared helper.
from request_timing import measure  # noqa: E402

UNIT = "DEMO-S11"


def _setup_django(data_dir: Path) -> bool:
    """Django on a scratch SQLite file in ``data_dir``; True when the demo is already there."""
    os.environ["PARSTAT_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "parstat.settings"
    existed = (data_dir / "bench.sqlite3").exists()
    import django

    django.setup()
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
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parstat-form-bench-") as temp:
        folder = Path(arguments.keep) if arguments.keep else Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        if not _setup_django(folder):
            print("Building the demo (parstat init --demo) …", flush=True)
            build_demo()
        run(arguments.rounds)


def run(rounds: int) -> None:
    from django.test import Client

    user, report, cell = subject()
    pk = report.pk  # type: ignore[attr-defined]
    anonymous, reporter = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    reporter.force_login(user)  # type: ignore[arg-type]
    values = iter(range(10**9))
    version = [report.version]  # type: ignore[attr-defined]

    def save() -> object:
        # The version the page holds: the one the previous save's answer gave back.
        field = f"v:{cell}"
        response = reporter.post(f"/reports/{pk}/cell/",
                                 {field: str(100 + next(values) % 2), "version": str(version[0])},
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
    for step in steps.values():  # warm-up: imports, template and compiled-rule caches
        measure(step), measure(step)
    times: dict[str, list[float]] = {name: [] for name in steps}
    facts: dict[str, tuple[int, int]] = {}
    for _round in range(rounds):
        for name, step in steps.items():
            seconds, queries, size = measure(step)
            times[name].append(seconds)
            facts[name] = (queries, size)
    bare = statistics.median(times["bare sign-in page"])
    bare_min = min(times["bare sign-in page"])
    print(f"report {UNIT} {report.period.code} (pk {pk}), "  # type: ignore[attr-defined]
          f"median of {rounds} in-process requests, same run")
    print(f"{'request':20} {'median ms':>10} {'min ms':>8} {'queries':>8} {'KB':>7} "
          f"{'× bare':>7} {'min × min':>10}")
    for name, samples in times.items():
        queries, size = facts[name]
        median = statistics.median(samples)
        print(f"{name:20} {median * 1000:10.1f} {min(samples) * 1000:8.1f} {queries:8d} "
              f"{size / 1000:7.1f} {median / bare:7.1f} {min(samples) / bare_min:10.1f}")
    print("goals: entry form ≤ 10× the bare page; a cell save ≤ 5× and ≤ 6 queries")


if __name__ == "__main__":
    main()
