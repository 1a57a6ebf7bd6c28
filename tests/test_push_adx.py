"""Sending values to a DHIS2-style server as ADX, against a local stand-in that checks the
payload the way DHIS2's /api/dataValueSets does and answers its import summary."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from defusedxml import ElementTree
from django.core.management import CommandError, call_command

from parstat.reporting.models import Value

ADX = "{urn:ihe:qrph:adx:2015}"
TOKEN = "d2pat_demo_token"


class StandIn:
    """What the stand-in server saw and holds: each request's query and values; the stored ones."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.stored: dict[tuple[str, str, str], str] = {}
        self.unknown: set[str] = set()  # data elements it does not know: conflicts


def _handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            if url.path != "/api/dataValueSets":
                return self._answer(404, {"message": "not found"})
            if self.headers.get("Authorization") != f"ApiToken {TOKEN}":
                return self._answer(401, {"message": "unauthorized"})
            if self.headers.get("Content-Type") != "application/adx+xml":
                return self._answer(415, {"message": "not ADX"})
            body = self.rfile.read(int(self.headers["Content-Length"]))
            root = ElementTree.fromstring(body)
            assert root.tag == f"{ADX}adx"
            values = {}
            for group in root.iter(f"{ADX}group"):
                for item in group.iter(f"{ADX}dataValue"):
                    assert item.get("value") not in (None, ""), "a blank must not be sent"
                    key = (group.get("orgUnit"), group.get("period"), item.get("dataElement"))
                    values[key] = item.get("value")
            dry = parse_qs(url.query).get("dryRun") == ["true"]
            state.requests.append({"dry_run": dry, "values": values})
            conflicts = [{"object": k[2], "value": "Data element not found"}
                         for k in values if k[2] in state.unknown]
            counts = {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0}
            for key, value in values.items():
                if key[2] in state.unknown:
                    counts["ignored"] += 1
                    continue
                old = state.stored.get(key)
                counts["imported" if old is None else "updated" if old != value else "ignored"] += 1
                if not dry:
                    state.stored[key] = value
            status = "WARNING" if conflicts else "SUCCESS"
            return self._answer(409 if conflicts else 200, {
                "httpStatus": "Conflict" if conflicts else "OK",
                "response": {"status": status, "importCount": counts, "conflicts": conflicts}})

        def _answer(self, code: int, data: dict) -> None:
            body = json.dumps(data).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def stand_in() -> Iterator[tuple[str, StandIn]]:
    state = StandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()


def push(*args: str) -> str:
    out = StringIO()
    call_command("push_adx", "--unit", "ST-SKHDT", "--period", "2023Q1", "--token", TOKEN,
                 *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_runs_dry_first_then_sends_and_a_resend_changes_nothing(seed_report, stand_in):
    url, state = stand_in
    numeric = Value.objects.filter(report=seed_report, number__isnull=False).count()
    said = push("--url", url, "--apply")
    assert [r["dry_run"] for r in state.requests] == [True, False]
    assert len(state.stored) == numeric  # every number, no blank, nothing else
    assert state.stored[("ST-SKHDT", "2022-12-15/P90D", "I.1.a")] == "40"
    assert f"Chạy thử: {numeric} giá trị; máy chủ báo SUCCESS: nhập mới {numeric}" in said
    assert f"Đã gửi: {numeric} giá trị; máy chủ báo SUCCESS: nhập mới {numeric}, cập nhật 0" in said
    again = push("--url", url, "--apply")
    assert f"nhập mới 0, cập nhật 0, bỏ qua {numeric}" in again


def test_it_stops_after_the_dry_run_unless_asked_to_apply(seed_report, stand_in):
    url, state = stand_in
    said = push("--url", url)
    assert [r["dry_run"] for r in state.requests] == [True]
    assert state.stored == {}
    assert "chưa gửi thật" in said


def test_it_sends_nothing_when_the_dry_run_has_conflicts(seed_report, stand_in):
    url, state = stand_in
    state.unknown = {"I.1.a"}
    with pytest.raises(CommandError, match=r"\[push.conflicts\].*I\.1\.a: Data element not found"):
        push("--url", url, "--apply")
    assert [r["dry_run"] for r in state.requests] == [True]
    assert state.stored == {}


def test_it_names_a_wrong_token_and_an_unreachable_server(seed_report, stand_in):
    url, _state = stand_in
    with pytest.raises(CommandError, match=r"\[push.refused\].*401"):
        call_command("push_adx", "--unit", "ST-SKHDT", "--period", "2023Q1", "--url", url,
                     "--token", "wrong", stdout=StringIO())
    with pytest.raises(CommandError, match=r"\[push.unreachable\]"):
        push("--url", "http://127.0.0.1:9")


def test_it_says_when_no_server_is_configured(seed_report, settings):
    settings.PARSTAT_DHIS2_URL = ""
    with pytest.raises(CommandError, match=r"\[push.not_configured\]"):
        push()
