"""The findings of one cell save: re-checking only what the cell can affect, against evaluating
everything, measured in one run.

Builds the demo (``parstat init --demo``) in a scratch SQLite database of its own (or reuses
``--keep DIR``), takes the demo department DEMO-S11's report of the latest demo period (the
form bench's), and for every numeric cell of its template (one change each: the cell's value
plus one, or 1 when blank) times, in process and alternating so a busy neighbour slows both
alike:

- baseline: ``evaluate_values``, every formula, rule and kind check of the template;
- incremental: ``evaluate_change`` from the findings stored before the change (what a save
  does since the dependency map), the same findings by construction (checked here too).

Prints the medians and minima over all cells and rounds, this process's CPU time, and the
ratio to the baseline. Not part of the test suite.

    .venv/bin/python bench/findings_bench.py --keep DIR      # build once into DIR, reuse after
    .venv/bin/python bench/findings_bench.py --rounds 21
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UNIT = "DEMO-S11"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--keep", metavar="DIR", help="build the demo into DIR (or reuse it)")
    args = parser.parse_args()
    data_dir = Path(args.keep or tempfile.mkdtemp(prefix="parstat-findings-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PARSTAT_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "parstat.settings"
    existed = (data_dir / "bench.sqlite3").exists()
    import django

    django.setup()
    from django.core.management import call_command

    if not existed:
        print("Building the demo (parstat init --demo) …", flush=True)
        call_command("init", demo=True)
    _measure(args.rounds)


def _measure(rounds: int) -> None:
    from decimal import Decimal

    from parstat.catalog.models import NUMERIC_KINDS
    from parstat.demo import LATEST_DEMO_PERIOD
    from parstat.reporting.actions import finding_columns
    from parstat.reporting.checks import evaluate_change, evaluate_values, stored_values
    from parstat.reporting.models import Report, Value

    # The form bench's report: the latest demo period's (a draft).
    report = (Report.objects.select_related("template", "period")
              .get(unit__code=UNIT, period__code=LATEST_DEMO_PERIOD))
    rows = stored_values(report)
    indicators = [i for i in report.template.indicators.all() if i.kind in NUMERIC_KINDS]
    changes = []
    for indicator in indicators:  # each cell's value plus one: a real change of its number
        after = dict(rows)
        old = rows.get(indicator.code)
        number = Decimal(1) if old is None or old.number is None else old.number + 1
        after[indicator.code] = Value(indicator=indicator, number=number, note="")
        changes.append((indicator.code, after))
    report.findings = json.loads(json.dumps(finding_columns(evaluate_values(report, rows))
                                            ["findings"]))
    timings: dict[str, list[tuple[float, float]]] = {"full": [], "incremental": []}
    for code, after in changes:  # warm-up, and the answers compared once
        assert evaluate_change(report, after, {code}).findings == \
            evaluate_values(report, after).findings, code
    for _round in range(rounds):
        for code, after in changes:
            start, cpu = time.perf_counter(), time.process_time()
            evaluate_values(report, after)
            timings["full"].append((time.perf_counter() - start, time.process_time() - cpu))
            start, cpu = time.perf_counter(), time.process_time()
            evaluate_change(report, after, {code})
            timings["incremental"].append((time.perf_counter() - start,
                                           time.process_time() - cpu))
    print(f"report {UNIT} {report.period.code} (pk {report.pk}), template {report.template.code}: "
          f"{len(changes)} cells × {rounds} rounds, alternating, {len(report.findings)} stored "
          f"findings; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base = statistics.median(s for s, _ in timings["full"])
    base_min = min(s for s, _ in timings["full"])
    base_cpu = statistics.median(c for _, c in timings["full"])
    print(f"{'findings of one cell':22} {'median µs':>10} {'min µs':>8} {'× full':>7} "
          f"{'min × min':>10} {'cpu × full':>11}")
    for name, found in timings.items():
        median = statistics.median(s for s, _ in found)
        fastest = min(s for s, _ in found)
        cpu = statistics.median(c for _, c in found)
        print(f"{name:22} {median * 1e6:10.1f} {fastest * 1e6:8.1f} {median / base:7.2f} "
              f"{fastest / base_min:10.2f} {cpu / base_cpu if base_cpu else float('nan'):11.2f}")


if __name__ == "__main__":
    main()
