"""``GET /healthz`` for a load balancer: is this process able to serve right now?

It answers 200 only when the database answers and every migration this code knows is applied
(a server started on new code before ``parstat init`` ran must not take traffic). No session,
no sign-in, nothing about the data: a load balancer needs no more, and anyone may ask.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

# Once this process has seen every migration applied, they stay applied: code that brings new
# migrations comes with a new process.
_migrations_seen_applied = False


def _migrations_pending() -> bool:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return False
    executor = MigrationExecutor(connection)
    pending = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_seen_applied = not pending
    return pending


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    try:
        pending = _migrations_pending()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse({"status": "error", "database": "ok", "migrations": "pending"},
                            status=503)
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})
