"""The signed-in person is read with their roles, in one query, and only while they may sign in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from parstat.accounts.backends import RolesBackend
from parstat.accounts.permissions import roles_by_unit
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
