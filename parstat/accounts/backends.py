"""Signing in and reading the signed-in person: Django's model backend, whose per-request read
of the person also brings their roles (and, in a request, takes the person read with the session:
parstat.accounts.sessions).

Every signed-in request reads the person (``request.user``) and nearly every one then asks
:mod:`parstat.accounts.permissions` for their roles: the roles are read with the person, one
query instead of two (``Membership`` rows joined to their user). A person without any role
(an administrator, a new account) is read the plain way.

A session names the backend it signed in with: sessions opened before this backend replaced
Django's ``ModelBackend`` sign in again once (the form's dialog does so and saves what was
pending), rather than having every failed sign-in hash the password twice through two backends.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from parstat.accounts.models import Membership
from parstat.accounts.sessions import reading_person_of


class RolesBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        session = reading_person_of.get()
        person = session.person(user_id) if session is not None else None
        if person is not None:  # read with the session, memberships and all
            return person if self.user_can_authenticate(person) else None
        memberships = list(Membership.objects.filter(user_id=user_id).select_related("user"))
        if not memberships:
            user = super().get_user(user_id)
        else:
            user = memberships[0].user
            if not self.user_can_authenticate(user):
                return None
        if user is not None:
            # What permissions.roles_by_unit reads; the user object lives as long as the request.
            user._parstat_memberships = [  # type: ignore[attr-defined]
                (m.unit_id, m.role) for m in memberships]
        return user
