"""The session engine (``SESSION_ENGINE``): Django's database sessions, whose one read also
brings the signed-in person and their roles.

Every signed-in request reads its session, then the person (Django's ``auth.get_user``), then
the person's roles (:mod:`parstat.accounts.permissions`): three reads of rows that are nearly
always wanted together. Django's session keeps the person's id only inside its encoded data,
so a session here also names its person in a column (:class:`PersonSession`, Django's
documented way of extending the database engine), and the read of the session joins the person
and their memberships: one query. Nothing is cached between requests: a role taken away, a
password changed or an account switched off counts from the next request, as before.

Django still checks the person: :class:`parstat.accounts.middleware.PersonMiddleware` runs
Django's ``auth.get_user`` (the backend named by the session, the session's hash of the
password) with this session at hand, and :class:`parstat.accounts.backends.RolesBackend` takes
the person read with it instead of reading them again.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db.models import F
from django.utils import timezone

from parstat.accounts.models import PersonSession

# The session of the request whose person Django's auth.get_user is reading (set by the
# middleware for the length of that call only, so nothing read for one request serves another).
reading_person_of: ContextVar[SessionStore | None] = ContextVar("reading_person_of", default=None)


class SessionStore(DatabaseSessionStore):
    # The person read with the session: (their id as the session holds it, the user object with
    # their memberships), or None when the session names nobody (or was not read).
    _person: tuple[str, Any] | None = None

    @classmethod
    def get_model_class(cls) -> type[PersonSession]:
        return PersonSession

    def _get_session_from_db(self) -> PersonSession | None:
        # Django's read of the session (the same lookup, the same answer when there is none),
        # joined to the person and their memberships: one row per membership, or one row.
        self._person = None
        rows = list(PersonSession.objects.filter(
            session_key=self.session_key, expire_date__gt=timezone.now(),
        ).select_related("person").annotate(member_unit=F("person__memberships__unit_id"),
                                            member_role=F("person__memberships__role")))
        if not rows:
            self._session_key = None
            return None
        session = rows[0]
        person = session.person
        if person is not None:
            # What permissions.roles_by_unit reads; the user object lives as long as the request.
            person._parstat_memberships = [  # type: ignore[attr-defined]
                (row.member_unit, row.member_role) for row in rows if row.member_unit is not None]
            self._person = (str(person.pk), person)
        return session

    def person(self, user_id: Any) -> Any:
        """The person read with this session, if they are the one ``user_id`` names (as the
        session's data does), else None (then the backend reads them)."""
        if self._person is not None and self._person[0] == str(user_id):
            return self._person[1]
        return None

    def create_model_instance(self, data: dict[str, Any]) -> PersonSession:
        session = super().create_model_instance(data)
        assert isinstance(session, PersonSession)
        person = data.get(SESSION_KEY)
        session.person_id = int(person) if isinstance(person, str) and person.isdigit() else None
        return session

