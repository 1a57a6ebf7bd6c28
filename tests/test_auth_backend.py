"""The signed-in person is read with their roles (and, in a request, with the session), in one\nquery, and only while they may sign in."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parstat.accounts.backends import RolesBackend
from parstat.accounts.models import Membership, PersonSession
from parstat.accounts.permissions import roles_by_unit
from parstat.accounts.sessions import SessionStore
from parstat.units.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_it_reads_the_person_and_their_roles_in_one_query(personas,
                                                           django_assert_num_queries):
    reporter = personas["reporter"]
    with django_assert_num_queries(1):
        user = RolesBackend().get_user(reporter.pk)
        held = roles_by_unit(user)
    assert user == reporter
    assert held == roles_by_unit(type(reporter).objects.get(pk=reporter.pk))  # the plain read
    assert held and all(OrgUnit.objects.filter(pk=pk).exists() for pk in held)


def test_it_reads_a_person_without_roles_the_plain_way(personas):
    admin = personas["admin"]
    user = RolesBackend().get_user(admin.pk)
    assert user == admin and user.is_superuser
    assert roles_by_unit(user) == {}


def test_it_refuses_a_deactivated_person_with_roles(personas, client):
    reporter = personas["reporter"]
    client.force_login(reporter)
    type(reporter).objects.filter(pk=reporter.pk).update(is_active=False)
    assert RolesBackend().get_user(reporter.pk) is None
    answer = client.get("/")
    assert answer.status_code == 302  # signed out: to the sign-in page
    assert isinstance(answer.wsgi_request.user, AnonymousUser)


def test_it_reads_the_session_with_the_person_and_their_roles(sign_in, personas):
    client = sign_in("reporter")
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(reverse("web:home"))
    assert answer.status_code == 200
    # The person is read once, with the session and their memberships.
    [read] = [q["sql"] for q in captured.captured_queries if '"auth_user"' in q["sql"]]
    assert read.startswith('SELECT "accounts_personsession"."session_key"')
    assert 'LEFT OUTER JOIN "accounts_membership"' in read
    user = answer.wsgi_request.user
    assert user == personas["reporter"]
    assert roles_by_unit(user) == roles_by_unit(type(personas["reporter"]).objects.get(pk=user.pk))
    assert roles_by_unit(user)


def test_it_names_the_person_in_the_session_row(sign_in, personas):
    client = sign_in("reporter")
    key = client.cookies["sessionid"].value
    assert PersonSession.objects.get(session_key=key).person == personas["reporter"]
    client.logout()
    assert not PersonSession.objects.filter(session_key=key).exists()


def test_it_reads_roles_again_on_every_request(sign_in, personas, seed_report):
    client = sign_in("reporter")
    url = reverse("web:report_detail", args=[seed_report.pk])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=personas["reporter"]).delete()
    assert client.get(url).status_code == 404  # the role taken away counts at once


def test_it_signs_out_a_session_whose_password_was_changed(sign_in, personas):
    client = sign_in("reporter")
    assert client.get(reverse("web:home")).status_code == 200
    reporter = type(personas["reporter"]).objects.get(pk=personas["reporter"].pk)
    reporter.set_password("something else entirely")
    reporter.save()
    answer = client.get(reverse("web:home"))
    assert answer.status_code == 302
    assert isinstance(answer.wsgi_request.user, AnonymousUser)


def test_it_ends_the_sessions_of_a_deleted_person(sign_in, personas):
    client = sign_in("viewer")
    personas["viewer"].delete()
    assert not PersonSession.objects.exists()
    assert client.get(reverse("web:home")).status_code == 302


def test_the_upgrade_carries_live_sessions_over(personas):
    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore

    carry_over = import_module(
        "parstat.accounts.migrations.0005_person_sessions").carry_over_live_sessions
    signed_in, anonymous, expired = DjangoSessionStore(), DjangoSessionStore(), DjangoSessionStore()
    signed_in[SESSION_KEY] = str(personas["reporter"].pk)
    anonymous["django_language"] = "en"
    expired[SESSION_KEY] = str(personas["reporter"].pk)
    expired.set_expiry(-1)
    for session in (signed_in, anonymous, expired):
        session.save()
    carry_over(apps, None)
    carried = {s.session_key: s for s in PersonSession.objects.all()}
    assert set(carried) == {signed_in.session_key, anonymous.session_key}
    assert carried[signed_in.session_key].person == personas["reporter"]
    assert carried[anonymous.session_key].person is None
    assert SessionStore(signed_in.session_key).load()[SESSION_KEY] == str(personas["reporter"].pk)
