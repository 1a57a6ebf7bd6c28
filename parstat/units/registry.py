"""Real units the shipped seed report needs, with their 2025 reorganisation (see DOMAIN.md).

These are public facts (names, merger dates), not data: no report is made up for them; the one
report filed under them is the real seed.
"""

from __future__ import annotations

from datetime import date

from parstat.units.models import OrgUnit, UnitKind

SEED_UNIT_CODE = "ST-SKHDT"
SEED_PERIOD_CODE = "2023Q1"

# code, name, kind, parent, valid_from, valid_to, successor
REAL_UNITS: list[tuple[str, str, str, str | None, date | None, date | None, str | None]] = [
    ("CT", "Thành phố Cần Thơ", UnitKind.PROVINCE, None, None, None, None),
    ("CT-SNV", "Sở Nội vụ thành phố Cần Thơ", UnitKind.HOME_AFFAIRS, "CT", None, None, None),
    ("CT-STC", "Sở Tài chính thành phố Cần Thơ", UnitKind.DEPARTMENT, "CT", None, None, None),
    ("ST", "Tỉnh Sóc Trăng", UnitKind.PROVINCE, None, None, date(2025, 6, 30), "CT"),
    ("ST-SNV", "Sở Nội vụ tỉnh Sóc Trăng", UnitKind.HOME_AFFAIRS, "ST", None, date(2025, 6, 30),
     "CT-SNV"),
    ("ST-STC", "Sở Tài chính tỉnh Sóc Trăng", UnitKind.DEPARTMENT, "ST", None, date(2025, 6, 30),
     "CT-STC"),
    (SEED_UNIT_CODE, "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng", UnitKind.DEPARTMENT, "ST", None,
     date(2025, 2, 16), "ST-STC"),
    ("HG", "Tỉnh Hậu Giang", UnitKind.PROVINCE, None, None, date(2025, 6, 30), "CT"),
]


def ensure_real_units() -> None:
    # Successors are created first (the list is ordered so), then linked by code.
    for code, name, kind, parent, valid_from, valid_to, successor in REAL_UNITS:
        OrgUnit.objects.update_or_create(code=code, defaults={
            "name": name, "kind": kind, "valid_from": valid_from, "valid_to": valid_to,
            "parent": OrgUnit.objects.get(code=parent) if parent else None,
            "successor": OrgUnit.objects.get(code=successor) if successor else None,
        })
