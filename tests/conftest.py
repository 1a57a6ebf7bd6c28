"""Fixtures shared by the whole suite: the loaded templates, the seed report, fixed personas."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from parstat.catalog.loader import load_builtin_templates
from parstat.catalog.models import Template
from parstat.reporting.actions import Actor
from parstat.reporting.models import Source

SEED_FILE = Path(__file__).resolve().parent.parent / "parstat" / "seeds" / "000_6b98368d79752b38.txt"
TEMPLATE_CODE = "B1-SN-2023"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    # Templates are reference data every test reads: load them once into the test database.
    with django_db_blocker.unblock():
        load_builtin_templates()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Real deployments keep Django's slow PBKDF2; tests only need hashing that works.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def template(db) -> Template:  # type: ignore[no-untyped-def]
    return Template.objects.get(code=TEMPLATE_CODE)


@pytest.fixture
def units(db):  # type: ignore[no-untyped-def]
    """The real units the seed needs (Sóc Trăng, Cần Thơ, their 2025 successors), and the
    periods of 2023, the seed's year, as `parstat init --year 2023` makes them (importing never
    makes a period)."""
    from parstat.reporting.periods import periods_of_year
    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    periods_of_year(2023)


@pytest.fixture
def periods(db):  # type: ignore[no-untyped-def]
    """The report periods of 2023 and 2024, as `parstat init --year …` makes them."""
    from parstat.reporting.periods import periods_of_year

    for year in (2023, 2024):
        periods_of_year(year)


@pytest.fixture
def alice(db):  # type: ignore[no-untyped-def]
    """A reporter of the Department of Planning and Investment of Sóc Trăng (the seed's unit)."""
    return get_user_model().objects.create_user("alice", password="alice-pass-1")


@pytest.fixture
def alice_at_form(alice) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(user=alice, source=Source.FORM, origin="203.0.113.7")


@pytest.fixture
def system() -> Actor:
    return Actor(source=Source.CLI, origin="tests")


@pytest.fixture
def submitted_report(seed_report, system, personas):  # type: ignore[no-untyped-def]
    """The seed with its two errors corrected, then submitted by its unit's leader."""
    from decimal import Decimal

    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.values import CellValue
    from parstat.reporting.workflow import do_transition

    for code, number in (("VII.5.f", 100), ("III.4.c.2", 0)):
        indicator = seed_report.template.indicators.get(code=code)
        do_set_values(seed_report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                      acting_user=system)
    approver = Actor(user=personas["approver"], source=Source.FORM, origin="tests")
    return do_transition(seed_report, "submit", acting_user=approver, text="Đã rà soát").report


@pytest.fixture
def seed_report(db, system):  # type: ignore[no-untyped-def]
    """The real seed report, imported as `parstat init --demo` files it."""
    from parstat.imports.service import import_file
    from parstat.reporting.models import Report
    from parstat.reporting.periods import periods_of_year
    from parstat.units.registry import SEED_PERIOD_CODE, SEED_UNIT_CODE, ensure_real_units

    ensure_real_units()
    periods_of_year(2023)  # as `parstat init --year 2023` makes them; importing never does
    import_file(SEED_FILE, unit_code=SEED_UNIT_CODE, period_code=SEED_PERIOD_CODE,
                acting_user=system)
    return Report.objects.get(unit__code=SEED_UNIT_CODE, period__code=SEED_PERIOD_CODE)


# Fixed personas of the web application and the API. All hold the password PASSWORD.
PASSWORD = "correct horse battery"
PERSONAS = {
    # name: (roles as (unit code, role), administrator)
    "reporter": ([("ST-SKHDT", "reporter")], False),  # fills the seed unit's reports
    "approver": ([("ST-SKHDT", "approver")], False),  # the seed unit's leader
    "consolidator": ([("ST", "consolidator")], False),  # Sóc Trăng's Home Affairs office
    "viewer": ([("ST", "viewer")], False),
    "leader": ([("ST", "approver")], False),  # the province's leader: approves its report
    "outsider": ([("DEMO", "consolidator")], False),  # another province: sees none of Sóc Trăng
    "successor": ([("CT", "consolidator")], False),  # Cần Thơ, which took Sóc Trăng over in 2025
    "admin": ([], True),
}


@pytest.fixture
def personas(db):  # type: ignore[no-untyped-def]
    from parstat.accounts.users import ensure_user
    from parstat.demo import ensure_demo_units
    from parstat.units.registry import ensure_real_units

    ensure_real_units()
    ensure_demo_units()
    return {name: ensure_user(name, password=PASSWORD, roles=roles, administrator=admin)
            for name, (roles, admin) in PERSONAS.items()}


@pytest.fixture
def sign_in(client, personas):  # type: ignore[no-untyped-def]
    def as_persona(name: str):  # type: ignore[no-untyped-def]
        client.force_login(personas[name])
        return client

    return as_persona
