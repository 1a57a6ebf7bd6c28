"""Deadline day under load: locust, headless, against ``parstat serve`` on 127.0.0.1.

Builds a demo database of its own (``parstat init --demo``, SQLite in a temporary folder, or
PostgreSQL with ``--pg-url``), gives each simulated person an account and a draft report of its
own (a reporter and approver of one demo department, consolidator of the demo province),
serves it with the production server, and runs bounded locust runs (``--seconds`` each, at most
60): closed loops of 1, 8, 32 and 64 users, then fixed arrival rates (``--autosave-rates``: the
mix sent at the rate that makes its cell saves arrive at 170, 340 and 680 per second, i.e. 1×, 2×
and 4× deadline day's 4,000 reports × 150 cells in an hour, spread over 64 users). Each person
mixes what deadline day brings: home, the entry form, cell saves, an all-or-nothing save, submit
and return, the period page, the consolidated table, an API read and a dataValues post; and a
bare page (the sign-in form) is requested in the same run, by the same
server, as the baseline. Prints throughput, p50/p95/p99 and errors per request type.

    .venv/bin/python bench/load.py                      # SQLite, port 8731
    .venv/bin/python bench/load.py --pg-url postgres://postgres@127.0.0.1:5432 --seconds 30
    .venv/bin/python bench/load.py --autosaves 8          # cell saves only, 8 closed loops

``--autosaves USERS`` replaces the mix by two closed loops of USERS users: the bare page signed
out, then cell saves only (each user a person of their own, signed in beforehand, on their own
report, posting one field and the version the previous answer gave, as the form does): the
autosaves a second the box sustains, next to the bare page of the same server.

(The locust classes below are what locust runs: ``locust -f bench/load.py``.)
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, HttpUser, between, constant_throughput, task

ROOT = Path(__file__).resolve().parent.parent
PARSTAT = str(ROOT / ".venv" / "bin" / "parstat")
PEOPLE = 64
PASSWORD = "load-test-pw-2026"
def _setup_script() -> str:
    # The people, their reports and the cells they type, printed as JSON for the locust users.
    return """
import json
from django.contrib.auth import get_user_model
from parstat.accounts.models import Membership, Role
from parstat.api.tokens import create_token
from parstat.catalog.models import Indicator, Template
from parstat.reporting.actions import Actor, get_or_create_report
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
actor = Actor.command_line()
demo = OrgUnit.objects.get(code="DEMO")
departments = list(OrgUnit.objects.filter(parent=demo, kind="department").order_by("code"))
template = Report.objects.filter(unit__in=departments).latest("template__edition").template
period = Period.objects.order_by("-end").first()
cells = list(Indicator.objects.filter(template=template, kind="count")
             .exclude(aggregation="formula").order_by("position")
             .values_list("code", flat=True)[:40])
people = []
for n in range(PEOPLE):
    unit = departments[n % len(departments)]
    user, _ = get_user_model().objects.get_or_create(username=f"load-{n:02d}")
    user.set_password(PASSWORD)
    user.save()
    for role, where in ((Role.REPORTER, unit), (Role.APPROVER, unit), (Role.CONSOLIDATOR, demo)):
        Membership.objects.get_or_create(user=user, unit=where, role=role)
    report, _ = get_or_create_report(unit, template, period, acting_user=actor)
    _, token = create_token(user, name="load")
    # A session signed in beforehand, for the runs that measure saves, not password hashing.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY:
                    settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    people.append({"username": user.username, "report": report.pk, "unit": unit.code,
                   "token": str(token), "session": session.session_key})
print(json.dumps({"people": people, "cells": cells, "period": period.code,
                  "province": demo.code}))
""".replace("PEOPLE", str(PEOPLE)).replace("PASSWORD", repr(PASSWORD))


def _next_person(started: itertools.count) -> tuple[dict, dict]:
    """The plan the set-up printed, and the person the next user of a run is: each user another
    person (up to PEOPLE), so saves rarely race. Signed in beforehand (a session the set-up
    made): 64 password hashes at the start would fill most of a short run on two shared cores
    and measure the hashing, not deadline day."""
    plan = json.loads(os.environ["PARSTAT_LOAD_PLAN"])
    return plan, plan["people"][next(started) % len(plan["people"])]


class _SignedIn(HttpUser):
    """One person, signed in once."""

    abstract = True
    wait_time = between(0.0, 0.0)
    plan: dict = {}
    _started = itertools.count()

    def on_start(self) -> None:
        type(self).plan, self.me = _next_person(self._started)
        self.client.cookies.set("sessionid", self.me["session"])  # SESSION_COOKIE_NAME
        self.form_page = self.client.get(f"/reports/{self.me['report']}/",  # the CSRF cookie
                                         name="entry form").text

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def _post(self, path: str, data: dict, name: str, **headers: str) -> None:
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        with self.client.post(path, data, name=name, catch_response=True, allow_redirects=False,
                              headers={"Referer": self.host + path, **headers}) as answer:
            if answer.status_code in (200, 302, 303, 409, 422):
                answer.success()  # a refusal the page shows (stale, invalid) is an answer


class _Person(_SignedIn):
    """One person of the deadline day: signs in once, then mixes the pages and saves."""

    abstract = True

    @task(1)
    def bare(self) -> None:
        self.client.get("/dang-nhap/", name="bare sign-in page")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def entry_form(self) -> None:
        self.client.get(f"/reports/{self.me['report']}/", name="entry form")

    @task(10)
    def cell_save(self) -> None:
        code = random.choice(self.plan["cells"])
        self._post(f"/reports/{self.me['report']}/cell/", {f"v:{code}": str(random.randint(0, 999))},
                   "cell save", **{"HX-Request": "true", "HX-Trigger-Name": f"v:{code}"})

    @task(1)
    def save_all(self) -> None:
        codes = random.sample(self.plan["cells"], min(10, len(self.plan["cells"])))
        self._post(f"/reports/{self.me['report']}/save/",
                   {f"v:{c}": str(random.randint(0, 999)) for c in codes}, "all-or-nothing save")

    @task(1)
    def submit_and_return(self) -> None:
        report = self.me["report"]
        self._post(f"/reports/{report}/do/submit/", {"text": "đã rà soát"}, "submit")
        self._post(f"/reports/{report}/do/return/", {"text": "kiểm thử tải"}, "return")

    @task(1)
    def period_page(self) -> None:
        self.client.get(f"/periods/{self.plan['period']}/", name="period page")

    @task(1)
    def consolidated(self) -> None:
        self.client.get(f"/analytics/?unit={self.plan['province']}&period={self.plan['period']}",
                        name="consolidated table")

    @task(1)
    def api_read(self) -> None:
        self.client.get(f"/api/v1/reports/{self.me['report']}", name="API report read",
                        headers={"Authorization": f"Bearer {self.me['token']}"})

    @task(1)
    def datavalues(self) -> None:
        body = {"dataValues": [{"unit": self.me["unit"], "period": self.plan["period"],
                                "indicator": random.choice(self.plan["cells"]),
                                "value": random.randint(0, 999)}]}
        with self.client.post("/api/v1/dataValues", json=body, name="API dataValues post",
                              catch_response=True,
                              headers={"Authorization": f"Bearer {self.me['token']}"}) as answer:
            if answer.status_code in (200, 409):
                answer.success()


class ClosedLoop(_Person):
    """Each person sends the next request as soon as the last one answered."""


class Autosaves(_SignedIn):
    """Cell saves only, back to back, as the form sends them (the field and the version it
    holds): how many autosaves a second the box sustains (``--autosaves USERS``)."""

    version: int | None = None

    def on_start(self) -> None:
        super().on_start()
        self.version = _version_in(self.form_page)

    @task
    def autosave(self) -> None:
        _autosave(self, lambda data: {"data": data})


class BarePage(HttpUser):
    """The bare sign-in page only, signed out (as bench/form_bench.py's): the baseline of
    ``--autosaves``, same server, as many users."""

    wait_time = between(0.0, 0.0)

    @task
    def bare_only(self) -> None:
        self.client.get("/dang-nhap/", name="bare sign-in page")


class FastAutosaves(FastHttpUser):
    """:class:`Autosaves` sent by locust's geventhttpclient client (``--fast-client``), which
    spends a fraction of python-requests' CPU time per request, leaving more of a shared box's
    cores to the server: whether the load generator is what holds a run back."""

    wait_time = between(0.0, 0.0)
    _started = itertools.count()
    version: int | None = None

    def on_start(self) -> None:
        self.plan, self.me = _next_person(self._started)
        host = urlsplit(self.host).hostname or "127.0.0.1"
        self.client.cookiejar.set_cookie(_cookie("sessionid", self.me["session"], host))
        page = self.client.get(f"/reports/{self.me['report']}/", name="entry form").text
        self.version = _version_in(page or "")

    def _csrf(self) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == "csrftoken"), "")

    @task
    def autosave(self) -> None:
        # geventhttpclient sends a body as given: the form's url-encoding, as htmx sends it.
        _autosave(self, lambda data: {"data": urlencode(data), "headers": {
            "Content-Type": "application/x-www-form-urlencoded"}})


class FastBarePage(FastHttpUser):
    """:class:`BarePage` by the same client as :class:`FastAutosaves`."""

    wait_time = between(0.0, 0.0)

    @task
    def bare_only(self) -> None:
        self.client.get("/dang-nhap/", name="bare sign-in page")


def _autosave(user: Any, body: Callable[[dict[str, str]], dict[str, Any]]) -> None:
    """One cell save of ``user`` (an autosave loop), as the form sends it: one field and the
    version the previous answer gave; ``body``: the client's keyword arguments for that form."""
    code = random.choice(user.plan["cells"])
    field = f"v:{code}"
    data = {field: str(random.randint(0, 999)), "csrfmiddlewaretoken": user._csrf()}
    if user.version is not None:
        data["version"] = str(user.version)
    path = f"/reports/{user.me['report']}/cell/"
    send = body(data)
    headers = {"Referer": user.host + path, "HX-Request": "true", "HX-Trigger-Name": field,
               **send.pop("headers", {})}
    with user.client.post(path, name="cell save", catch_response=True, headers=headers,
                          **send) as answer:
        if answer.status_code == 200:
            user.version = _version_in(answer.text or "")
            answer.success()
        else:
            answer.failure(f"answered {answer.status_code}")


def _cookie(name: str, value: str, host: str) -> Cookie:
    return Cookie(0, name, value, None, False, host, False, False, "/", True, False, None, False,
                  None, None, {})


def _version_in(page: str) -> int | None:
    found = re.search(r'id="report-version" name="version" value="(\d+)"', page)
    return int(found.group(1)) if found else None


class FixedRate(_Person):
    """Each person sends at most ``PARSTAT_LOAD_PER_USER`` requests per second."""

    wait_time = constant_throughput(float(os.environ.get("PARSTAT_LOAD_PER_USER", "1")))


def autosave_share() -> float:
    """The share of the mix's tasks that are cell saves (locust lists a task once per weight)."""
    tasks = _Person.tasks
    return sum(1 for t in tasks if t is _Person.cell_save) / len(tasks)


# ------------------------------------------------------------------------------------ driver

def _run(command: list[str], env: dict[str, str]) -> str:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def _wait(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def _locust(host: str, env: dict[str, str], users: int, seconds: int, user_class: str,
            out: Path) -> list[dict[str, str]]:
    prefix = out / f"{user_class}-{users}"
    subprocess.run([sys.executable, "-m", "locust", "-f", __file__, user_class, "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
                    "--csv", str(prefix), "--only-summary", "--exit-code-on-error", "0"],
                   env=env, cwd=ROOT, check=True, capture_output=True)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return list(csv.DictReader(stats))


def _print(title: str, rows: list[dict[str, str]]) -> None:
    print(f"\n{title}")
    print(f"  {'request':24s} {'count':>7s} {'req/s':>7s} {'p50 ms':>7s} {'p95 ms':>7s} "
          f"{'p99 ms':>7s} {'errors':>6s}")
    for row in rows:
        print(f"  {row['Name'][:24]:24s} {row['Request Count']:>7s} "
              f"{float(row['Requests/s']):7.1f} {row['50%']:>7s} {row['95%']:>7s} "
              f"{row['99%']:>7s} {row['Failure Count']:>6s}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8731, help="in this engineer's range")
    parser.add_argument("--seconds", type=int, default=20, help="each run, at most 60")
    parser.add_argument("--autosave-rates", default="170,340,680",
                        help="fixed arrival rates, as cell saves/s the mix must bring")
    parser.add_argument("--loops", default="1,8,32,64", help="closed-loop user counts")
    parser.add_argument("--pg-url", help="PostgreSQL server (database parstat_scale_load)")
    parser.add_argument("--autosaves", type=int, metavar="USERS",
                        help="only cell saves by USERS closed-loop users (each on a report of "
                             "their own), then the bare page by as many, instead of the mix")
    parser.add_argument("--fast-client", action="store_true",
                        help="with --autosaves: send them by locust's FastHttpUser "
                             "(geventhttpclient), which leaves more of a shared box's CPU to "
                             "the server than python-requests")
    args = parser.parse_args()
    seconds = min(args.seconds, 60)
    with tempfile.TemporaryDirectory(prefix="parstat-load-") as scratch:
        url = (f"{args.pg_url.rstrip('/')}/parstat_scale_load" if args.pg_url
               else f"sqlite:///{scratch}/load.sqlite3")
        env = {**os.environ, "DATABASE_URL": url, "PARSTAT_DATA_DIR": scratch,
               "DJANGO_SETTINGS_MODULE": "parstat.settings"}
        if args.pg_url:
            import psycopg

            with psycopg.connect(f"{args.pg_url.rstrip('/')}/postgres", autocommit=True) as c:
                c.execute("DROP DATABASE IF EXISTS parstat_scale_load")
                c.execute("CREATE DATABASE parstat_scale_load")
        _run([PARSTAT, "init", "--demo"], env)
        plan = _run([PARSTAT, "shell", "-c", _setup_script()], env).strip().splitlines()[-1]
        env["PARSTAT_LOAD_PLAN"] = plan
        server = subprocess.Popen([PARSTAT, "serve", "--host", "127.0.0.1", "--port",
                                   str(args.port)], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        host = f"http://127.0.0.1:{args.port}"
        try:
            _wait(host + "/healthz")
            out = Path(scratch)
            if args.autosaves:
                classes = (("FastBarePage", "FastAutosaves") if args.fast_client
                           else ("BarePage", "Autosaves"))
                for user_class in classes:
                    _print(f"closed loop, {args.autosaves} users, {user_class}, {seconds} s",
                           _locust(host, env, args.autosaves, seconds, user_class, out))
                return 0
            for users in (int(n) for n in args.loops.split(",")):
                _print(f"closed loop, {users} users, {seconds} s",
                       _locust(host, env, users, seconds, "ClosedLoop", out))
            for autosaves in (float(n) for n in args.autosave_rates.split(",") if n):
                rate = autosaves / autosave_share()  # every request of the mix, per second
                _print(f"fixed arrival rate {rate:.0f} req/s, of which {autosaves:g} cell "
                       f"saves/s ({PEOPLE} users), {seconds} s",
                       _locust(host, {**env, "PARSTAT_LOAD_PER_USER": str(rate / PEOPLE)},
                               PEOPLE, seconds, "FixedRate", out))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
