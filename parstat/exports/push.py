"""Send a report's values (or a consolidated table's) to a DHIS2-style endpoint as ADX.

DHIS2 takes ADX at ``POST /api/dataValueSets`` (``Content-Type: application/adx+xml``) and answers
an import summary: how many values it imported, updated, ignored or deleted, and the conflicts
(a data element or org unit it does not know, a value it refused). parstat always asks for a dry
run first (``dryRun=true``: the server checks everything and stores nothing); the real send
follows only when asked and only when the dry run had no conflict, so a half-accepted table is
not left on the other side by a send that was bound to fail.

Why the standard library's ``urllib`` and not a client library: one POST with a body and two
headers, on an intranet, does not need a dependency; the timeout is explicit.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from parstat.errors import ParstatError
from parstat.exports.adx import write_adx
from parstat.exports.exchange import Exchange

ADX_CONTENT_TYPE = "application/adx+xml"


@dataclass(frozen=True)
class Endpoint:
    """Where the values go: the server's base URL (".../api" is added) and how to sign in, a
    personal access token (DHIS2 2.37+) or a user name and password."""

    url: str
    token: str = ""
    username: str = ""
    password: str = ""
    timeout: float = 60.0

    def authorization(self) -> str:
        if self.token:
            return f"ApiToken {self.token}"
        if self.username:
            pair = f"{self.username}:{self.password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return ""


@dataclass(frozen=True)
class PushSummary:
    dry_run: bool
    status: str  # the server's word: SUCCESS, WARNING, ERROR (OK for older servers)
    imported: int
    updated: int
    ignored: int
    deleted: int
    sent: int  # dataValue elements in the payload
    conflicts: list[str] = field(default_factory=list)


def adx_payload(exchange: Exchange, *, exported: datetime | None = None) -> bytes:
    text = io.StringIO()
    write_adx(exchange, text, exported=exported or timezone.now())
    return text.getvalue().encode("utf-8")


def push_adx(exchange: Exchange, endpoint: Endpoint, *, dry_run: bool) -> PushSummary:
    """POST the exchange's values as ADX; the server's import summary, or ``push.*`` errors."""
    payload = adx_payload(exchange)
    sent = payload.count(b"<dataValue ")
    query = "dryRun=true&importStrategy=CREATE_AND_UPDATE" if dry_run else (
        "importStrategy=CREATE_AND_UPDATE")
    request = urllib.request.Request(
        f"{endpoint.url.rstrip('/')}/api/dataValueSets?{query}", data=payload, method="POST",
        headers={"Content-Type": ADX_CONTENT_TYPE, "Accept": "application/json"})
    if auth := endpoint.authorization():
        request.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as refused:
        # DHIS2 answers 409 with an import summary when it refuses values: still a summary.
        body = refused.read()
        if refused.code != 409:
            raise ParstatError("push.refused", url=endpoint.url, status=refused.code,
                               reason=body[:300].decode("utf-8", "replace")) from refused
    except (urllib.error.URLError, TimeoutError, OSError) as failed:
        raise ParstatError("push.unreachable", url=endpoint.url,
                           reason=str(getattr(failed, "reason", failed))) from failed
    return _summary(body, dry_run=dry_run, sent=sent, url=endpoint.url)


def _summary(body: bytes, *, dry_run: bool, sent: int, url: str) -> PushSummary:
    try:
        answer = json.loads(body)
    except ValueError as bad:
        raise ParstatError("push.bad_answer", url=url,
                           reason=body[:200].decode("utf-8", "replace")) from bad
    # DHIS2 2.38+ wraps the summary in "response"; older servers answer it bare.
    summary: dict[str, Any] = answer.get("response", answer) if isinstance(answer, dict) else {}
    counts = summary.get("importCount")
    if not isinstance(counts, dict):
        raise ParstatError("push.bad_answer", url=url, reason=body[:200].decode("utf-8", "replace"))
    conflicts = [f"{c.get('object', '')}: {c.get('value', '')}".strip(": ")
                 for c in summary.get("conflicts") or [] if isinstance(c, dict)]
    return PushSummary(dry_run=dry_run, status=str(summary.get("status", answer.get("status", ""))),
                       imported=int(counts.get("imported", 0)),
                       updated=int(counts.get("updated", 0)),
                       ignored=int(counts.get("ignored", 0)),
                       deleted=int(counts.get("deleted", 0)), sent=sent, conflicts=conflicts)
