"""What the page benches measure of one request: seconds, CPU seconds, queries and bytes.

Shared by ``bench/form_bench.py`` and ``bench/pages_bench.py``; imported after Django is set up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple


class Measured(NamedTuple):
    seconds: float
    cpu: float  # this process's CPU seconds (the clock also counts waiting for the database)
    queries: int
    size: int  # bytes of the response


def measure(step: Callable[[], object]) -> Measured:
    """One request (``step`` makes it); it must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start, cpu = time.perf_counter(), time.process_time()
        response = step()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    status = response.status_code  # type: ignore[attr-defined]
    assert status == 200, f"answered {status}"
    return Measured(seconds, cpu, len(queries), len(response.content))  # type: ignore[attr-defined]


def alternate(steps: dict[str, Callable[[], object]], rounds: int, *, warm_ups: int = 1
              ) -> dict[str, list[Measured]]:
    """Each request ``warm_ups`` times (imports, templates, compiled rules, query plans), then
    ``rounds`` rounds of all of them in turn, so a busy neighbour slows every one alike."""
    for step in steps.values():
        for _ in range(warm_ups):
            measure(step)
    found: dict[str, list[Measured]] = {name: [] for name in steps}
    for _round in range(rounds):
        for name, step in steps.items():
            found[name].append(measure(step))
    return found
