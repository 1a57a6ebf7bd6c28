"""Sign-in throttling: per account and per address, and not to be raced by parallel attempts."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse

from parstat.accounts.models import SignInThrottle
from parstat.accounts.signin import client_ip
from tests.conftest import PASSWORD
from tests.ops_server import PARSTAT, running_server, server_env


def _try(client, username: str, password: str, ip: str = "198.51.100.4") -> int:  # type: ignore[no-untyped-def]
    response = client.post(reverse("web:login"), {"username": username, "password": password},
                           REMOTE_ADDR=ip)
    client.logout()
    return int(response.status_code)


def test_it_does_not_refuse_another_account_behind_the_same_address(client, personas):
    assert [_try(client, "reporter", "wrong") for _ in range(6)] == [200] * 5 + [429]
    assert _try(client, "approver", PASSWORD) == 302
    assert _try(client, "reporter", PASSWORD) == 429  # that account still waits


def test_it_slows_an_address_that_fails_across_many_accounts(client, personas, settings):
    settings.PARSTAT_SIGNIN_ADDRESS_FREE_TRIES = 3
    assert [_try(client, name, "wrong") for name in ("reporter", "approver", "viewer")] == \
        [200, 200, 200]
    assert _try(client, "consolidator", PASSWORD) == 429
    assert _try(client, "consolidator", PASSWORD, ip="198.51.100.5") == 302


def test_it_gives_a_right_password_its_attempt_back_on_the_address(client, personas):
    assert _try(client, "reporter", "wrong") == 200
    assert _try(client, "approver", PASSWORD) == 302
    address = SignInThrottle.objects.get(key="address:198.51.100.4")
    assert address.failures == 1
    assert SignInThrottle.objects.get(key="account:approver").failures == 0


def test_it_starts_afresh_after_the_window(client, personas, settings):
    for _ in range(5):
        _try(client, "reporter", "wrong")
    SignInThrottle.objects.update(window_started="2000-01-01T00:00:00Z",
                                  next_check_at="2000-01-01T00:00:00Z")
    assert _try(client, "reporter", PASSWORD) == 302


def test_it_believes_x_forwarded_for_only_from_a_trusted_proxy(rf, settings):
    settings.PARSTAT_TRUSTED_PROXIES = ["10.0.0.2"]
    forwarded = "203.0.113.9, 192.0.2.1, 10.0.0.2"
    from_proxy = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(from_proxy) == "192.0.2.1"  # the first entry is whatever the client sent
    direct = rf.get("/", REMOTE_ADDR="192.0.2.77", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(direct) == "192.0.2.77"


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One visitor: its own cookies, the sign-in form fetched before the attempt."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
        with self.opener.open(base + "/dang-nhap/", timeout=20) as page:
            self.token = CSRF.search(page.read().decode()).group(1)  # type: ignore[union-attr]

    def sign_in(self, username: str, password: str) -> tuple[int, str]:
        body = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.token}).encode()
        try:
            with self.opener.open(self.base + "/dang-nhap/", body, timeout=60) as answer:
                return answer.status, ""
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Retry-After", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture
def served(tmp_path):  # type: ignore[no-untyped-def]
    # A first wait of 4 s, not 1: on a loaded machine one attempt may take over a second, and
    # the sixth would then arrive after the wait and rightly be checked.
    env = server_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                     PARSTAT_SIGNIN_FIRST_WAIT_SECONDS="4")
    subprocess.run([*PARSTAT, "init"], env=env, check=True, capture_output=True)
    for name in ("alice", "bob"):
        subprocess.run([*PARSTAT, "createuser", name, "--password-stdin"], env=env, check=True,
                       input=f"{name}-pass-1\n", text=True, capture_output=True)
    with running_server(env, workers=4) as (url, _log):
        yield url


def test_it_checks_one_of_twenty_parallel_attempts_after_the_wait(served):
    first = Browser(served)
    assert [first.sign_in("alice", "wrong")[0] for _ in range(5)] == [200] * 5
    status, retry_after = first.sign_in("alice", "wrong")
    assert status == 429 and 1 <= int(retry_after) <= 4  # what is left of the 4 s
    time.sleep(int(retry_after) + 0.3)
    visitors = [Browser(served) for _ in range(20)]
    start = threading.Barrier(20)
    answers: list[int] = []

    def attempt(visitor: Browser) -> None:
        start.wait()
        answers.append(visitor.sign_in("alice", "wrong")[0])

    threads = [threading.Thread(target=attempt, args=(v,)) for v in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200] + [429] * 19  # one checked, nineteen told to wait
    assert Browser(served).sign_in("bob", "bob-pass-1")[0] == 302
