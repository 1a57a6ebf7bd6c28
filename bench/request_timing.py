"""What the page benches measure of one request: seconds, queries and bytes.

Shared by ``bench/form_bench.py`` and ``bench/pages_bench.py``; imported after Django is set up.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def measure(step: Callable[[], object]) -> tuple[float, int, int]:
    """Seconds, queries and bytes of one request (``step`` makes it); it must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = step()
        seconds = time.perf_counter() - start
    status = response.status_code  # type: ignore[attr-defined]
    assert status == 200, f"answered {status}"
    return seconds, len(queries), len(response.content)  # type: ignore[attr-defined]
