"""Personas, tokens and a client for the API tests (imported by every tests/test_api_*.py).

The seed report is filed under ST-SKHDT (a department of Sóc Trăng province, ST). Each role
holds it the way the pages know it: a reporter and an approver of the unit, a consolidator and a
viewer of the province, a consolidator of another province (Hậu Giang, HG), an administrator.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from parstat.accounts.models import Membership, Role
from parstat.api.tokens import create_token, revoke_token
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.values import CellValue
from parstat.units.models import OrgUnit

API = "/api/v1"
# Test modules take the fixtures with `from tests.test_api_helpers import *`.
__all__ = ["api", "clean_report", "personas"]

# persona -> (unit, role); None for the administrator
PERSONAS: dict[str, tuple[str, str] | None] = {
    "reporter": ("ST-SKHDT", Role.REPORTER),
    "approver": ("ST-SKHDT", Role.APPROVER),
    "consolidator": ("ST", Role.CONSOLIDATOR),
    "viewer": ("ST", Role.VIEWER),
    "outsider": ("HG", Role.CONSOLIDATOR),
    "admin": None,
}


class ApiClient:
    """A test client that sends a bearer token and reads JSON."""

    def __init__(self, token: str | None, language: str | None = None) -> None:
        self.client = Client(REMOTE_ADDR="198.51.100.20")
        self.headers: dict[str, str] = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path: str, body: Any = None, **query: Any) -> Any:
        url = API + path
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return self.client.post(url, json.dumps(body), content_type="application/json",
                                headers=self.headers)

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(API + path, data, headers=self.headers)


@pytest.fixture
def personas(seed_report) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """username -> user, each with their role; the seed report exists."""
    users = {}
    for name, held in PERSONAS.items():
        user = get_user_model().objects.create_user(name, password=f"{name}-pass-1",
                                                    is_superuser=held is None)
        if held:
            Membership.objects.create(user=user, unit=OrgUnit.objects.get(code=held[0]),
                                      role=held[1])
        users[name] = user
    return users


@pytest.fixture
def api(personas) -> dict[str, ApiClient]:  # type: ignore[no-untyped-def]
    """persona -> client with that persona's token; plus "anonymous" and "revoked"."""
    clients = {name: ApiClient(create_token(user, "tests")[1]) for name, user in personas.items()}
    token, raw = create_token(personas["reporter"], "old")
    revoke_token(token, by=personas["reporter"])
    clients["revoked"] = ApiClient(raw)
    clients["anonymous"] = ApiClient(None)
    return clients


def set_number(report, code: str, number: int, actor) -> None:  # type: ignore[no-untyped-def]
    indicator = report.template.indicators.get(code=code)
    do_set_values(report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                  acting_user=actor)


@pytest.fixture
def clean_report(seed_report, system):  # type: ignore[no-untyped-def]
    """The seed with its two errors corrected (fees ≤ in force, parts ≤ whole): submittable."""
    set_number(seed_report, "VII.5.f", 100, system)
    set_number(seed_report, "III.4.c.2", 0, system)
    seed_report.refresh_from_db()
    return seed_report
