"""The approval levels above the provincial office, as configuration.

``settings.PARSTAT_PROVINCE_APPROVAL_LEVELS`` (from the environment variable of that name, JSON)
lists the levels in order, each ``{"code", "role", "label_vi", "label_en"}``: the role on the
province's unit whose holders take that level, and what the level is called ("lãnh đạo tỉnh
duyệt": the page says "Chờ lãnh đạo tỉnh duyệt", "Trình lãnh đạo tỉnh duyệt"). The default is
one level, the province's approver, as the chain always was. No level: the office's submission
is itself the approval. Two or more: the report waits at each in turn.

The one home of the chain: :func:`approval_levels` is what the workflow's rules
(parstat.province.workflow) are built from, and :func:`check_approval_levels` is the Django
system check that refuses a malformed setting before the server serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from parstat.accounts.models import Role

SETTING = "PARSTAT_PROVINCE_APPROVAL_LEVELS"
FIELDS = ("code", "role", "label_vi", "label_en")
CODE_MAX = 30  # ProvinceReport.level and the events' levels hold the code


@dataclass(frozen=True)
class ApprovalLevel:
    code: str
    role: str  # a Role value, held on the province's unit
    label_vi: str
    label_en: str

    @property
    def label(self) -> str:
        """Said in the page's language (the setting carries both; no catalogue entry)."""
        return self.label_en if (get_language() or "vi").startswith("en") else self.label_vi

    def __str__(self) -> str:
        return self.label


SHAPE, UNKNOWN_ROLE, DUPLICATE_CODE = "province.E001", "province.E002", "province.E003"


def problems_of(raw: Any) -> list[tuple[str, str]]:
    """What is wrong with a value of the setting, as (check id, plain message); empty: right."""
    if not isinstance(raw, list | tuple):
        return [(SHAPE, f"{SETTING} must be a JSON list of levels, got {raw!r}")]
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for place, level in enumerate(raw, start=1):
        if not isinstance(level, dict):
            found.append((SHAPE, f"{SETTING} level {place} must be an object with "
                                 f"{', '.join(FIELDS)}"))
            continue
        missing = [f for f in FIELDS if not isinstance(level.get(f), str) or not level[f].strip()]
        if missing:
            found.append((SHAPE, f"{SETTING} level {place} lacks {', '.join(missing)}"))
        unknown = sorted(set(level) - set(FIELDS))
        if unknown:
            found.append((SHAPE, f"{SETTING} level {place} has unknown keys "
                                 f"{', '.join(unknown)}"))
        code, role = level.get("code"), level.get("role")
        if isinstance(code, str) and code.strip():
            if len(code) > CODE_MAX:
                found.append((SHAPE, f"{SETTING} level {place}: code {code!r} is longer "
                                     f"than {CODE_MAX} characters"))
            if code in seen:
                found.append((DUPLICATE_CODE, f"{SETTING} level {place}: code {code!r} is "
                                              "used by an earlier level; each level needs its "
                                              "own code"))
            seen.add(code)
        if isinstance(role, str) and role.strip() and role not in Role.values:
            found.append((UNKNOWN_ROLE, f"{SETTING} level {place}: unknown role {role!r} "
                                        f"(roles: {', '.join(Role.values)})"))
    return found


def approval_levels() -> tuple[ApprovalLevel, ...]:
    """The levels in order, read from the settings at each call (so a test may override them);
    a malformed setting is refused loudly rather than guessed at."""
    raw = getattr(settings, SETTING)
    if problems := problems_of(raw):
        raise ImproperlyConfigured("; ".join(message for _, message in problems))
    return tuple(ApprovalLevel(**{f: level[f].strip() for f in FIELDS}) for level in raw)


def level_named(code: str) -> ApprovalLevel | None:
    return next((level for level in approval_levels() if level.code == code), None)


def level_after(code: str) -> ApprovalLevel | None:
    """The level a report passes to once ``code`` agrees (None: ``code`` is the last)."""
    levels = approval_levels()
    codes = [level.code for level in levels]
    at = codes.index(code) if code in codes else len(codes)
    return levels[at + 1] if at + 1 < len(levels) else None


@checks.register()
def check_approval_levels(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [checks.Error(message, hint=f"See {SETTING} in README.md and docs/province.md.",
                         id=check_id)
            for check_id, message in problems_of(getattr(settings, SETTING))]
