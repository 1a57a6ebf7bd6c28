"""``limit``/``offset`` on every list, answered with ``count``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet

from .schemas import PageQuery

T = TypeVar("T")


def paginate(queryset: QuerySet[Any], page: PageQuery,
             convert: Callable[[Any], T]) -> dict[str, Any]:
    items = [convert(obj) for obj in queryset[page.offset:page.offset + page.limit]]
    return {"count": queryset.count(), "limit": page.limit, "offset": page.offset,
            "items": items}
