"""What the server leaves behind and no one comes back for: stale upload previews, sessions
past their age, sign-in counters past their window. ``parstat cleanup`` runs it (schedule it)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from parstat.accounts.models import FailedSignIn, PersonSession, SignInThrottle


@dataclass
class Cleaned:
    previews: list[Path] = field(default_factory=list)
    sessions: int = 0
    signin_rows: int = 0


def stale_previews(now: float | None = None) -> list[Path]:
    """Uploaded files whose preview was never applied within PARSTAT_UPLOAD_PREVIEW_SECONDS."""
    root = Path(settings.PARSTAT_UPLOAD_DIR)
    if not root.is_dir():
        return []
    cutoff = (now if now is not None else time.time()) - settings.PARSTAT_UPLOAD_PREVIEW_SECONDS
    # Each person's previews sit in a folder named by their id (parstat/web/files.py).
    return sorted(path for path in root.glob("*/*")
                  if path.is_file() and path.stat().st_mtime < cutoff)


def clean_up(*, dry_run: bool = False) -> Cleaned:
    result = Cleaned(previews=stale_previews())
    now = timezone.now()
    sessions = PersonSession.objects.filter(expire_date__lt=now)
    window = now - timedelta(seconds=settings.PARSTAT_SIGNIN_WINDOW_SECONDS)
    # The log of failed sign-ins is kept for a month, for whoever looks into an incident.
    failures = FailedSignIn.objects.filter(at__lt=now - timedelta(days=30))
    counters = SignInThrottle.objects.filter(window_started__lt=window, next_check_at__lt=now)
    result.sessions = sessions.count()
    result.signin_rows = failures.count() + counters.count()
    if not dry_run:
        for path in result.previews:
            path.unlink(missing_ok=True)
        sessions.delete()
        failures.delete()
        counters.delete()
    return result
