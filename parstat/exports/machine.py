"""A :class:`ReportTable` (and a pivot) as JSON and CSV: the formats for machines.

Plain numbers, blanks as null / empty (never 0), no presentation; text that looks like a
formula is escaped in CSV (:mod:`parstat.exports.cells`).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any, TextIO

from parstat.exports.cells import csv_value, escape_text, number
from parstat.exports.table import ReportTable, TableRow
from parstat.jsonexact import dumps

# --------------------------------------------------------------------------- JSON


def _json_value(value: Decimal | str | None) -> int | Decimal | str | None:
    if isinstance(value, Decimal):
        return number(value)
    return value  # text stays text; None (blank) becomes null, never 0


def _indicator_dict(row: TableRow) -> dict[str, Any]:
    return {
        "code": row.code, "stt": row.stt, "section": row.section, "label": row.label,
        "unit": row.unit, "kind": row.kind, "value": _json_value(row.value),
        "derived": row.derived, "note": row.note,
    }


def _document_dict(table: ReportTable) -> dict[str, Any] | None:
    doc = table.document
    if doc is None:
        return None
    return {"number": doc.number, "date": doc.date.isoformat() if doc.date else None,
            "issuer": doc.issuer}


def _consolidated_value(row: TableRow) -> Any:
    if row.blank_total:
        return None
    if row.aggregation == "choice_counts":
        return {value: units for value, _label, units in row.counts}
    if row.aggregation == "list":
        return [{"unit": unit, "text": text} for unit, text in row.listed]
    return _json_value(row.value)


def _consolidated_indicator_dict(table: ReportTable, row: TableRow) -> dict[str, Any]:
    # "value" is the total, "units" how many units' values it covers (blank total: null),
    # "not_applicable" how many reporting units the row does not apply to (neither counted).
    out = {**_indicator_dict(row), "aggregation": row.aggregation,
           "value": _consolidated_value(row), "units": row.units,
           "not_applicable": row.not_applicable}
    del out["note"]  # notes belong to one unit's report, not to a total
    if row.spread is not None:
        # A rate that is not added up: no total ("value" stays null), its spread instead.
        mean, low, high = row.spread
        out["spread"] = {"mean": number(mean), "minimum": number(low), "maximum": number(high)}
    if row.aggregation == "choice_counts":
        out["choices"] = [{"value": v, "label": label} for v, label, _units in row.counts]
    if table.unit_columns:
        out["by_unit"] = {column.code: _json_value(value)
                          for column, value in zip(table.unit_columns, row.by_unit, strict=True)}
    return out


def _consolidated_dict(table: ReportTable) -> dict[str, Any]:
    return {
        "consolidated": True,
        "scope": {"code": table.scope, "label": table.scope_label},
        "provisional": table.provisional,
        "left_out": {"count": len(table.left_out),
                     "reports": [{"unit": o.unit_code, "name": o.unit_name, "state": o.state}
                                 for o in table.left_out]},
        "units_expected": table.units_expected,
        "units_received": table.units_received,
        "today_structure": table.today_structure,
        "units_in_scope": table.units_in_scope,
        "units_reporting": table.units_reporting,
        **({"units": [{"code": c.code, "name": c.name, "today": c.today_code or c.code}
                      for c in table.unit_columns]} if table.unit_columns else {}),
    }


def table_dict(table: ReportTable) -> dict[str, Any]:
    """The JSON shape other code depends on; change it only together with its consumers."""
    if table.consolidated:
        return {**_table_dict(table), **_consolidated_dict(table), "indicators": [
            _consolidated_indicator_dict(table, row) for row in table.rows()]}
    return _table_dict(table)


def _table_dict(table: ReportTable) -> dict[str, Any]:
    return {
        "template": {"code": table.template_code, "name": table.template_name,
                     "appendix": table.appendix, "title": table.title},
        "unit": {"code": table.unit_code, "name": table.unit_name, "kind": table.unit_kind},
        "period": {"code": table.period_code, "start": table.period_start.isoformat(),
                   "end": table.period_end.isoformat(),
                   "deadline": table.deadline.isoformat() if table.deadline else None},
        "state": table.state,
        "synthetic": table.synthetic,
        "document": _document_dict(table),
        "indicators": [_indicator_dict(row) for row in table.rows()],
        "findings": [finding.as_dict() for finding in table.findings],
    }


def write_json(table: ReportTable, fp: TextIO) -> None:
    fp.write(dumps(table_dict(table), indent=2))
    fp.write("\n")


# --------------------------------------------------------------------------- CSV

CSV_HEADER = ("code", "stt", "section", "label", "unit", "kind", "value", "derived", "note")


def _csv_row(row: TableRow) -> list[str]:
    texts = (row.code, row.stt, row.section, row.label, row.unit, row.kind)
    return [*(escape_text(text) for text in texts), csv_value(row.value),
            "true" if row.derived else "false", escape_text(row.note)]


def _consolidated_csv_total(row: TableRow) -> str:
    if row.blank_total:
        return ""
    if row.aggregation == "choice_counts":
        return ";".join(f"{value}={units}" for value, _label, units in row.counts)
    if row.aggregation == "list":
        return escape_text(" | ".join(f"{unit}: {text}" for unit, text in row.listed))
    return csv_value(row.value)


CONSOLIDATED_CSV_HEADER = ("code", "stt", "section", "label", "unit", "kind", "aggregation",
                           "value", "units", "mean", "minimum", "maximum", "scope", "left_out")


def _write_consolidated_csv(table: ReportTable, writer: Any) -> None:
    # The scope and the number of reports it left out ride on every line, as SDMX attributes
    # do: a CSV has no header block, and a line read alone must still say what it counts.
    writer.writerow([*CONSOLIDATED_CSV_HEADER, *(escape_text(c.code) for c in table.unit_columns)])
    for row in table.rows():
        texts = (row.code, row.stt, row.section, row.label, row.unit, row.kind, row.aggregation)
        spread = [csv_value(v) for v in row.spread] if row.spread else ["", "", ""]
        writer.writerow([*(escape_text(text) for text in texts), _consolidated_csv_total(row),
                         "" if row.units is None else str(row.units), *spread,
                         table.scope, str(len(table.left_out)),
                         *(csv_value(value) for value in row.by_unit)])


def write_csv(table: ReportTable, fp: TextIO) -> None:
    """RFC 4180 CSV (CRLF line ends), UTF-8 without BOM; open ``fp`` with ``newline=""``."""
    writer = csv.writer(fp)
    if table.consolidated:
        _write_consolidated_csv(table, writer)
        return
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_row(row) for row in table.rows())


def write_pivot_csv(pivot: Any, fp: Any) -> None:
    """Machine CSV of a pivot: code, label, unit, then one column per unit or period."""
    writer = csv.writer(fp)
    writer.writerow(["code", "label", "unit", *(escape_text(c) for c in pivot.columns)])
    for indicator in pivot.indicators:
        writer.writerow([indicator.code, escape_text(indicator.label), escape_text(indicator.unit),
                         *(csv_value(value) for value in pivot.row(indicator))])
