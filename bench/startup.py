"""Start-up time of a read-only command against Django's own set-up, measured in one run.

    .venv/bin/python bench/startup.py [--runs N]

The baseline is `django.setup()` with the project's settings in a fresh interpreter: what any
parstat command pays before doing anything. The target is `parstat units --json` (a read-only
command on the database `PARSTAT_DATA_DIR` / `DATABASE_URL` name; run `parstat init` first).
Each is run N times, alternating, and the median wall time is reported with the ratio; the
goal is a ratio of at most 2.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

BASELINE = [sys.executable, "-c",
            "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'parstat.settings'); "
            "import django; django.setup()"]
TARGET = [sys.executable, "-m", "parstat.cli", "units", "--json"]


def wall(command: list[str]) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    wall(TARGET)  # warm the file cache and the .pyc files for both
    baseline, target = [], []
    for _ in range(runs):
        baseline.append(wall(BASELINE))
        target.append(wall(TARGET))
    b, t = statistics.median(baseline), statistics.median(target)
    print(f"django.setup() with parstat.settings: median {b * 1000:.0f} ms "
          f"(min {min(baseline) * 1000:.0f}, max {max(baseline) * 1000:.0f}; {runs} runs)")
    print(f"parstat units --json:                 median {t * 1000:.0f} ms "
          f"(min {min(target) * 1000:.0f}, max {max(target) * 1000:.0f}; {runs} runs)")
    print(f"ratio: {t / b:.2f}× (goal ≤ 2×)")


if __name__ == "__main__":
    main()
