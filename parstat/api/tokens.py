"""Personal API tokens: made, shown once, stored as their hash, revoked.

The raw token (``pst_…``) exists only in the value :func:`create_token` returns; the database
keeps its SHA-256 (:func:`parstat.accounts.models.hash_token`) and a short prefix so a person can
tell their tokens apart in a list. The web page where users manage their tokens and the
``parstat token`` command both call these functions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from parstat.accounts.models import ApiToken, hash_token
from parstat.errors import ParstatError

# last_used_at is written at most this often per token: a script polling every second should
# not turn every read into a database write.
TOUCH_EVERY = timedelta(minutes=1)
PREFIX_LENGTH = 12


def create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``: the stored row and the raw key, to be shown once."""
    name = " ".join(name.split())[:100] or "API"
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:PREFIX_LENGTH],
                                    key_hash=hash_token(raw))
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Any) -> ApiToken:
    """Revoke ``token``. Its owner may revoke it; so may an administrator (``by`` a superuser).

    Revoking a revoked token changes nothing (the first revocation time stays).
    """
    if by is not None and not (by.pk == token.user_id or getattr(by, "is_superuser", False)):
        raise ParstatError("token.not_yours")
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoke()
    token.revoked_at = locked.revoked_at
    return token


def find_token(raw: str) -> ApiToken:
    """The token a request presents, or ``auth.token_invalid`` / ``auth.token_revoked``."""
    token = (ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
             if raw.startswith("pst_") and len(raw) <= 200 else None)
    if token is None or not token.user.is_active:
        raise ParstatError("auth.token_invalid")
    if token.revoked_at is not None:
        raise ParstatError("auth.token_revoked", prefix=token.prefix)
    return token


def touch(token: ApiToken) -> None:
    """Record that ``token`` was used now (at most once per :data:`TOUCH_EVERY`)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
