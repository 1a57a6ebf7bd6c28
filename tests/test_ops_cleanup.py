"""Upload previews never applied are deleted after PARSTAT_UPLOAD_PREVIEW_SECONDS."""

from __future__ import annotations

import os
import time
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from parstat.accounts.models import PersonSession
from parstat.accounts.sessions import SessionStore
from parstat.ops.cleanup import stale_previews
from tests.conftest import SEED_FILE


def _age(path, seconds: int) -> None:  # type: ignore[no-untyped-def]
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_it_deletes_previews_older_than_the_setting_and_keeps_fresh_ones(tmp_path, settings, db):
    settings.PARSTAT_UPLOAD_DIR = tmp_path
    settings.PARSTAT_UPLOAD_PREVIEW_SECONDS = 3600
    (tmp_path / "7").mkdir()
    old, fresh = tmp_path / "7" / ("a" * 32 + "--old.docx"), tmp_path / "7" / ("b" * 32 + "--new.csv")
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    _age(old, 3601)
    _age(fresh, 3599)
    out = StringIO()
    call_command("cleanup", "--dry-run", stdout=out)
    assert "Sẽ xóa 1 bản xem trước" in out.getvalue() and old.exists()
    call_command("cleanup", stdout=StringIO())
    assert not old.exists() and fresh.exists()


def test_it_deletes_an_upload_made_through_the_page_once_it_is_stale(sign_in, seed_report,
                                                                    settings, tmp_path):
    settings.PARSTAT_UPLOAD_DIR = tmp_path
    client = sign_in("reporter")
    with SEED_FILE.open("rb") as handle:
        response = client.post(reverse("web:upload", args=[seed_report.pk]), {"file": handle})
    assert response.status_code == 200
    # the file, and the name it was sent with beside it
    stored = stale_previews(now=time.time() + settings.PARSTAT_UPLOAD_PREVIEW_SECONDS + 1)
    assert sorted(p.name.partition("--")[2] or p.suffix for p in stored) == [".name", SEED_FILE.name]
    assert stale_previews() == []
    for path in stored:
        _age(path, settings.PARSTAT_UPLOAD_PREVIEW_SECONDS + 1)
    call_command("cleanup", stdout=StringIO())
    assert not any(path.exists() for path in stored)


def test_it_deletes_expired_sessions(db):
    session = SessionStore()
    session.set_expiry(-1)
    session.save()
    live = SessionStore()
    live.save()
    call_command("cleanup", stdout=StringIO())
    assert list(PersonSession.objects.values_list("session_key", flat=True)) == [live.session_key]
