"""The quality page of a province of many departments, against the bare sign-in page, in one run.

Builds, in a scratch SQLite database of its own, the built-in templates (``parstat init``) and a
province of ``--units`` departments (400 by default), each filing B1-SN-2023 for 2024Q1 through
the actions (``do_set_values``, so each report stores its findings): every third with a plan
done beyond the plan (an error, section I), every fourth and every fifth with a warning
(section III). Then, in process through Django's test client (middleware, session,
permissions, rendering), signed in as the province's consolidator, times:

- baseline: ``GET /dang-nhap/``, the bare sign-in page, signed out;
- the quality page's first page, its third page of warnings, the section III filter;
- the first page again once every report's stored findings are cleared, as for reports filed
  before findings were stored (each is then evaluated on the page);

and prints each median (after a warm-up; the rounds alternate, so a busy neighbour slows all
alike), the fastest, the queries per request, the page size and the ratio to the bare page.
Not part of the test suite.

    .venv/bin/python bench/quality_bench.py                 # 400 units, 7 rounds
    .venv/bin/python bench/quality_bench.py --units 100 --rounds 15

To compare with an earlier version in the same sitting, run this file from a copy of that
version's tree (``git archive REV | tar -x -C /tmp/before``) right before or after this one.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The script's own folder, bench/, is first on the path: its shared helper.
from request_timing import alternate  # noqa: E402

PERIOD = "2024Q1"
TEMPLATE = "B1-SN-2023"


def _setup_django(data_dir: Path) -> None:
    os.environ["PARSTAT_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "parstat.settings"
    import django

    django.setup()


def values_of(n: int) -> dict[str, int]:
    return {"I.1.a": 10, "I.1.b": 50 if n % 3 == 0 else 5, "III.5.a": 4,
            "III.5.b": 9 if n % 4 == 0 else 1, "III.7.a": 3, "III.7.b": 8 if n % 5 == 0 else 2}


def build(units: int) -> object:
    """The province, its departments' reports and its consolidator (returned)."""
    from django.core.management import call_command

    from parstat.accounts.models import Role
    from parstat.accounts.users import ensure_user
    from parstat.catalog.models import Indicator, Template
    from parstat.reporting.actions import Actor, CellUpdate, do_set_values, get_or_create_report
    from parstat.reporting.models import Source
    from parstat.reporting.periods import ensure_period
    from parstat.reporting.values import CellValue
    from parstat.units.models import OrgUnit, UnitKind

    call_command("init", verbosity=0, stdout=io.StringIO())
    actor = Actor(source=Source.CLI, origin="bench/quality_bench.py")
    template = Template.objects.get(code=TEMPLATE)
    by_code = {i.code: i for i in Indicator.objects.filter(template=template)}
    period = ensure_period(PERIOD)
    province = OrgUnit.objects.create(code="QB", name="Tỉnh đo", kind=UnitKind.PROVINCE)
    for n in range(units):
        department = OrgUnit.objects.create(code=f"QB-{n:04d}", name=f"Sở đo {n:04d}",
                                            kind=UnitKind.DEPARTMENT, parent=province)
        report, _ = get_or_create_report(department, template, period, acting_user=actor)
        do_set_values(report, [CellUpdate(by_code[code], CellValue(number=Decimal(number)))
                               for code, number in values_of(n).items()], acting_user=actor)
    return ensure_user("bench-quality", password=None, full_name="Bench quality",
                       roles=[(province.code, Role.CONSOLIDATOR)])


def run(units: int, rounds: int) -> None:
    from django.test import Client

    from parstat.reporting.models import Report

    user = build(units)
    anonymous, consolidator = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    consolidator.force_login(user)  # type: ignore[arg-type]
    page = f"/analytics/chat-luong/?unit=QB&period={PERIOD}&scope=all"  # drafts: every finding
    stored: dict[str, Callable[[], object]] = {
        "bare sign-in page": lambda: anonymous.get("/dang-nhap/"),
        "quality, first page": lambda: consolidator.get(page),
        "quality, warnings p. 3": lambda: consolidator.get(page + "&severity=warning&fpage=3"),
        "quality, section III": lambda: consolidator.get(page + "&section=III"),
    }
    unstored: dict[str, Callable[[], object]] = {
        "bare sign-in page": stored["bare sign-in page"],
        "quality, none stored": stored["quality, first page"],
    }
    results: dict[str, tuple[float, float, int, int, float]] = {}
    for todo in (stored, unstored):
        if todo is unstored:
            Report.objects.update(findings=None, error_count=None, warning_count=None)
        found = alternate(todo, rounds)
        times = {name: [m.seconds for m in ms] for name, ms in found.items()}
        facts = {name: (ms[-1].queries, ms[-1].size) for name, ms in found.items()}
        bare = statistics.median(times["bare sign-in page"])
        for name, samples in times.items():
            if name == "bare sign-in page" and name in results:
                continue
            median = statistics.median(samples)
            results[name] = (median, min(samples), *facts[name], median / bare)
    print(f"{units} departments, {Report.objects.count()} reports, period {PERIOD}, median of "
          f"{rounds} in-process requests, same run; load average "
          f"{' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print(f"{'request':24} {'median ms':>10} {'min ms':>8} {'queries':>8} {'KB':>7} {'× bare':>7}")
    for name, (median, fastest, queries, size, ratio) in results.items():
        print(f"{name:24} {median * 1000:10.1f} {fastest * 1000:8.1f} {queries:8d} "
              f"{size / 1000:7.1f} {ratio:7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parstat-quality-bench-") as temp:
        _setup_django(Path(temp))
        run(arguments.units, arguments.rounds)


if __name__ == "__main__":
    main()
