"""Django's authentication middleware, reading the signed-in person with their session.

``request.user`` is Django's ``auth.get_user(request)`` as ever: the backend the session names,
the check of the session's password hash, the sign-out of a session that fails it. It runs with
the request's session at hand (:data:`parstat.accounts.sessions.reading_person_of`, for the
length of that call), so that :class:`parstat.accounts.backends.RolesBackend` takes the person
and roles read with the session (:mod:`parstat.accounts.sessions`) instead of reading them again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from parstat.accounts.sessions import SessionStore, reading_person_of


def signed_in_person(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        session = request.session
        token = reading_person_of.set(session if isinstance(session, SessionStore) else None)
        try:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        finally:
            reading_person_of.reset(token)
    return request._cached_user  # type: ignore[attr-defined]


class PersonMiddleware(AuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # its checks, and request.auser as Django has it
        request.user = SimpleLazyObject(lambda: signed_in_person(request))  # type: ignore[assignment]
