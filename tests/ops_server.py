"""Starting a real `parstat serve` for the tests that need one (gunicorn, WhiteNoise)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARSTAT = [sys.executable, "-m", "parstat.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PARSTAT_DATA_DIR"] = str(data)
    env.update(extra)
    return env


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextmanager
def running_server(env: dict[str, str], workers: int = 2,
                   probe: str = "/dang-nhap/") -> Iterator[tuple[str, Path]]:
    """`parstat serve` on a free port: yields its URL and the file its output goes to."""
    port = free_port()
    log_path = Path(env["PARSTAT_DATA_DIR"]) / f"server-{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([*PARSTAT, "serve", "--port", str(port),
                                   "--workers", str(workers)], env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"parstat serve stopped: {log_path.read_text()}")
                try:
                    urllib.request.urlopen(url + probe, timeout=2)
                    break
                except urllib.error.HTTPError:
                    break  # it answers, if not with 200
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            yield url, log_path
        finally:
            server.terminate()
            server.wait(timeout=30)
