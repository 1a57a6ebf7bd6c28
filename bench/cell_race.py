"""Cell saves racing in one live-totals group, then `rebuild-totals`: no part may differ.

The demo (``parstat init --demo``, built as ``bench/form_bench.py`` builds it, or reused) on a
PostgreSQL database of your own, where writers really overlap (on SQLite a write transaction
holds the whole file, so they take turns). Several threads, each on its own draft report of
DEMO-S11's group (the demo province's departments, latest demo period), save cells as the form
does: mostly one cell at a time (the save that plans its recount before reading), a fifth of
them three cells at once (the save that recounts after writing), some cleared to blank. Then
``rebuild_totals`` counts every group again from the values and says how many parts were not
what they should be: anything but 0 means a save's recount missed another's values. Prints
the saves, their rate and the parts that differed; exits 1 if any did. Not part of the tests.

    .venv/bin/python bench/cell_race.py --database-url postgres://postgres@127.0.0.1/NAME
    .venv/bin/python bench/cell_race.py --database-url URL --threads 6 --saves 40
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from form_bench import UNIT, _setup_django, build_demo  # noqa: E402


def race(threads: int, saves: int) -> int:
    from django.db import connections

    from parstat.analytics.totals import group_of, rebuild_totals
    from parstat.catalog.models import Indicator, Kind
    from parstat.demo import LATEST_DEMO_PERIOD
    from parstat.errors import ParstatError
    from parstat.reporting.actions import Actor, CellUpdate, do_set_values
    from parstat.reporting.models import Report, ReportState
    from parstat.reporting.values import CellValue

    before = rebuild_totals()  # the parts as they should be before the race
    base = Report.objects.select_related("unit").get(unit__code=UNIT,
                                                      period__code=LATEST_DEMO_PERIOD)
    group = group_of(base)
    reports = [r for r in Report.objects.select_related("unit").filter(
        period=base.period, template=base.template, state=ReportState.DRAFT).order_by("pk")
        if group_of(r) == group == r.totals_group][:threads]
    cells = list(Indicator.objects.filter(template=base.template, kind=Kind.COUNT, formula="")
                 .order_by("position")[:3])
    actor = Actor.command_line()
    refused: list[str] = []

    def work(report: Report, seed: int) -> None:
        chance = random.Random(seed)
        try:
            for _ in range(saves):
                fresh = Report.objects.select_related("unit", "template").get(pk=report.pk)
                if chance.random() < 0.2:
                    updates = [CellUpdate(c, CellValue(number=Decimal(chance.randint(0, 50))))
                               for c in cells]
                else:
                    number = None if chance.random() < 0.2 else Decimal(chance.randint(0, 50))
                    updates = [CellUpdate(chance.choice(cells),
                                          CellValue() if number is None else CellValue(number=number))]
                try:
                    do_set_values(fresh, updates, acting_user=actor)
                except ParstatError as error:
                    refused.append(error.code)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(r, n)) for n, r in enumerate(reports)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    after = rebuild_totals()
    done = len(workers) * saves
    print(f"{len(workers)} threads on {len(workers)} draft reports of group {group}, "
          f"cells {', '.join(c.code for c in cells)}")
    print(f"{done} saves in {seconds:.1f} s ({done / seconds:.0f}/s), {len(refused)} refused")
    print(f"parts differing from the values: before the race {before.differed}, "
          f"after it {after.differed} (of {after.parts})")
    return 1 if after.differed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", metavar="URL", required=True,
                        help="a PostgreSQL database of your own (the demo is built into it, "
                             "or reused; drop it yourself)")
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--saves", type=int, default=40, help="per thread")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parstat-cell-race-") as temp:
        if not _setup_django(Path(temp), arguments.database_url):
            print("Building the demo (parstat init --demo) …", flush=True)
            build_demo()
        sys.exit(race(arguments.threads, arguments.saves))


if __name__ == "__main__":
    main()
