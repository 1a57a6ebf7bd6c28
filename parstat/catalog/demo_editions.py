"""Demonstration tables ("minh họa"), generated from the real 2023 departments' table.

Two editions that are NOT official and are loaded only with ``parstat init --demo``:

- ``B1-SN-2025``: a 2025 edition of the departments' table, from 1 July 2025, that renames a
  row, splits one, merges two, drops one and adds one, so that editions, their mapping and
  series across them can be seen working;
- ``B2-XA-2025``: a communes' table (and districts', for the years before 1 July 2025) with a row
  that applies to districts only ("không áp dụng" for a commune).

Every label carries "(minh họa)" in the template's name and the templates are ``synthetic``.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import yaml

from parstat.catalog.loader import DATA_DIR

BASE = "B1-SN-2023.yaml"
DEMO_NOTE = "Bảng minh họa, không phải biểu mẫu chính thức."


def _base() -> dict[str, Any]:
    return yaml.safe_load((DATA_DIR / BASE).read_text(encoding="utf-8"))


def _find(data: dict[str, Any], code: str) -> tuple[list[dict], int]:
    for section in data["sections"]:
        for index, item in enumerate(section["indicators"]):
            if item["code"] == code:
                return section["indicators"], index
    raise KeyError(code)


def departments_2025() -> dict[str, Any]:
    data = copy.deepcopy(_base())
    data.update(code="B1-SN-2025", family="B1-SN", edition=2025, previous="B1-SN-2023",
                applies_from=date(2025, 7, 1), synthetic=True,
                name=data["name"] + " — ấn bản 2025 (minh họa)")
    # Renamed: the same quantity, worded anew.
    rows, at = _find(data, "I.1.c")
    rows[at]["label"] = "Số văn bản chỉ đạo, điều hành CCHC đã ban hành"
    # Split: the survey count becomes online and on-paper counts.
    rows, at = _find(data, "I.7.a")
    rows[at].update(label="Số phiếu khảo sát trực tuyến", **{"from": "I.7.a"})
    rows.insert(at + 1, {"code": "I.7.d", "stt": "", "label": "Số phiếu khảo sát phát trực tiếp",
                         "unit": "Số lượng", "kind": "count", "aggregation": "sum",
                         "from": "I.7.a"})
    # Merged: "on schedule" and "by the procedure" become one count.
    rows, at = _find(data, "II.1.a")
    rows[at].update(label="Số VBQPPL tham mưu ban hành đúng tiến độ và đúng quy trình",
                    **{"from": ["II.1.a", "II.1.b"]})
    rows.pop(_find(data, "II.1.b")[1])
    # Dropped, and added.
    rows, at = _find(data, "I.9")
    rows.pop(at)
    rows.insert(at, {"code": "I.10", "stt": "10", "label": "Số sáng kiến CCHC được công nhận",
                     "unit": "Sáng kiến", "kind": "count", "aggregation": "sum"})
    data["dropped"] = ["I.9"]
    data["rules"] = [r for r in data.get("rules") or []
                     if not {"II.1.a", "II.1.b", "I.7.a", "I.9"} & _codes(r)]
    return data


def communes_2025() -> dict[str, Any]:
    data = copy.deepcopy(_base())
    data.update(code="B2-XA-2025", family="B2-XA", edition=2025, synthetic=True,
                applies_from=date(2023, 1, 1), unit_kinds=["commune", "district"],
                name="Thống kê kết quả thực hiện cải cách hành chính của xã, phường (minh họa)",
                title="BẢNG 2")
    rows, at = _find(data, "I.2.b")  # "Số đơn vị trực thuộc đã kiểm tra"
    rows[at]["unit_kinds"] = ["district"]  # a commune has no subordinate units to inspect
    data["rules"] = [r for r in data.get("rules") or [] if "I.2.b" not in _codes(r)]
    return data


def _codes(rule: dict[str, Any]) -> set[str]:
    from parstat.rules.expressions import parse_expression

    return set(parse_expression(str(rule["left"])).codes | parse_expression(
        str(rule["right"])).codes)


def load_demo_editions() -> list[tuple[Any, bool]]:
    """Load both demonstration tables (after the built-in ones they derive from)."""
    import hashlib

    from parstat.catalog.loader import load_template_data

    loaded = []
    for data in (departments_2025(), communes_2025()):
        digest = hashlib.sha256(yaml.safe_dump(data, allow_unicode=True, sort_keys=True)
                                .encode()).hexdigest()
        loaded.append(load_template_data(data, digest, name=data["code"]))
    return loaded
