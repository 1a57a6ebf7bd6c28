"""The authoring workbook: a template edition as an .xlsx an administrator edits in Excel.

The workbook and the repository's YAML are two spellings of one thing (docs/template-format.md):
``template_data`` reads an edition back from the database in the YAML's structure,
``write_workbook`` spells that structure as sheets, ``read_workbook`` reads the sheets back into
it; YAML → xlsx → YAML gives the same data, so a loaded edition is the same whichever way it came.

Sheets: «Thông tin» (key, value), «Phần» (numeral, label), «Chỉ tiêu» (one row a row of the
table), «Quy tắc» (one row a rule), «Ánh xạ» (code, from, breaks_series: which rows of the
previous edition each row continues; a row with no code and an old code in «from» drops it).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import translation

from parstat.catalog.models import Indicator, Mapping, Rule, Section, Template
from parstat.errors import TERMS, ParstatError

INFO_KEYS = ("code", "name", "family", "edition", "applies_from", "previous", "appendix",
             "title", "unit_kinds", "synthetic")
ROW_COLUMNS = ("section", "code", "stt", "label", "unit", "measure", "kind", "choices",
               "aggregation", "cumulative", "formula", "unit_kinds", "comment")
RULE_COLUMNS = ("code", "left", "operator", "right", "severity", "missing", "message")
MAPPING_COLUMNS = ("code", "from", "breaks_series")
SHEETS = {"info": "Thông tin", "sections": "Phần", "rows": "Chỉ tiêu", "rules": "Quy tắc",
          "mapping": "Ánh xạ"}


def template_data(template: Template) -> dict[str, Any]:
    """An edition as the YAML file spells it."""
    data: dict[str, Any] = {
        "code": template.code, "name": template.name, "family": template.family,
        "edition": template.edition, "applies_from": template.applies_from,
        "appendix": template.appendix, "title": template.title,
        "unit_kinds": list(template.unit_kinds or []), "columns": dict(template.columns or {}),
    }
    if template.synthetic:
        data["synthetic"] = True
    if template.previous_id is not None:
        data["previous"] = template.previous.code if template.previous else None
    indicators = list(Indicator.objects.filter(template=template).order_by("position"))
    data["sections"] = [
        {"numeral": s.numeral, "label": s.label,
         "indicators": [_row(i, template) for i in indicators if i.section_id == s.pk]}
        for s in Section.objects.filter(template=template).order_by("position")]
    data["rules"] = [{"code": r.code, "left": r.left, "operator": r.operator, "right": r.right,
                      "severity": r.severity, "missing": r.missing, "message": r.message}
                     for r in Rule.objects.filter(template=template).order_by("position")]
    if template.previous_id is not None:
        continued = {c for i in indicators for c in i.mapped_from}
        data["dropped"] = sorted(set(Indicator.objects.filter(template_id=template.previous_id)
                                     .values_list("code", flat=True)) - continued)
    return data


def _row(indicator: Indicator, template: Template) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": indicator.code, "stt": indicator.stt, "label": indicator.label,
        "unit": indicator.unit, "kind": indicator.kind, "aggregation": indicator.aggregation}
    for key in ("measure", "formula", "comment"):
        if getattr(indicator, key):
            row[key] = getattr(indicator, key)
    if indicator.cumulative:
        row["cumulative"] = True
    if indicator.choices:
        row["choices"] = list(indicator.choices)
    if indicator.unit_kinds:
        row["unit_kinds"] = list(indicator.unit_kinds)
    if template.previous_id is not None:
        row["from"] = list(indicator.mapped_from)
        if indicator.breaks_series and indicator.mapping not in (Mapping.SPLIT, Mapping.MERGED):
            row["breaks_series"] = True
    return row


def write_workbook(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    info = book.active
    info.title = SHEETS["info"]
    info.append(["key", "value"])
    for key in INFO_KEYS:
        if key in data and data[key] is not None:
            info.append([key, _cell(data[key])])
    for key, value in (data.get("columns") or {}).items():
        info.append([f"columns.{key}", value])
    sections = book.create_sheet(SHEETS["sections"])
    sections.append(["numeral", "label"])
    rows = book.create_sheet(SHEETS["rows"])
    rows.append(list(ROW_COLUMNS))
    for section in data["sections"]:
        sections.append([section["numeral"], section["label"]])
        for item in section["indicators"] or []:
            rows.append([section["numeral"]] + [_cell(item.get(c)) for c in ROW_COLUMNS[1:]])
    rules = book.create_sheet(SHEETS["rules"])
    rules.append(list(RULE_COLUMNS))
    for rule in data.get("rules") or []:
        rules.append([_cell(rule.get(c)) for c in RULE_COLUMNS])
    mapping = book.create_sheet(SHEETS["mapping"])
    mapping.append(list(MAPPING_COLUMNS))
    for section in data["sections"]:
        for item in section["indicators"] or []:
            if "from" in item or item.get("breaks_series"):
                mapping.append([item["code"], _cell(item.get("from", [])),
                                _cell(bool(item.get("breaks_series", False)))])
    for code in data.get("dropped") or []:
        mapping.append(["", code, ""])
    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                # "==" or "<=" in an operator cell would be taken for an Excel formula.
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # choices
            return "; ".join(f"{c['value']}={c['label']}" for c in value)
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass
class WorkbookData:
    data: dict[str, Any]
    where: dict[str, tuple[str, int]] = field(default_factory=dict)  # indicator or rule code → sheet, row


def read_workbook(content: bytes, name: str) -> WorkbookData:
    """The workbook's template data, each row remembered by sheet and row for error messages."""
    from openpyxl import load_workbook

    from parstat.imports.safety import check_package_xml, open_zip

    with open_zip(content, name) as archive:
        check_package_xml(archive, name)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ParstatError("import.corrupt", name=name, reason=str(error)[:200]) from None
    try:
        sheets = {key: _records(book, title, name) for key, title in SHEETS.items()}
    finally:
        book.close()
    out = WorkbookData(data={"columns": {}})
    for row, record in sheets["info"]:
        key, value = str(record.get("key") or ""), record.get("value")
        if key.startswith("columns."):
            out.data["columns"][key[8:]] = _text(value)
        elif key in INFO_KEYS:
            out.data[key] = _info_value(key, value, name, row)
        elif key:
            raise _fail(name, SHEETS["info"], row, "unknown_key", key=key)
    sections: dict[str, dict[str, Any]] = {}
    for _row, record in sheets["sections"]:
        numeral = _text(record.get("numeral"))
        sections[numeral] = {"numeral": numeral, "label": _text(record.get("label")),
                             "indicators": []}
    mapping = {_text(r.get("code")): (row, r) for row, r in sheets["mapping"] if r.get("code")}
    for row, record in sheets["rows"]:
        item = _indicator(record, name, row)
        section = sections.get(_text(record.get("section")))
        if section is None:
            raise _fail(name, SHEETS["rows"], row, "unknown_section",
                        section=record.get("section"), other=SHEETS["sections"])
        if item["code"] in mapping:
            _, link = mapping.pop(item["code"])
            item["from"] = _list(link.get("from"))
            if _flag(link.get("breaks_series")):
                item["breaks_series"] = True
        section["indicators"].append(item)
        out.where[item["code"]] = (SHEETS["rows"], row)
    if mapping:
        row, _ = next(iter(mapping.values()))
        raise _fail(name, SHEETS["mapping"], row, "mapping_unknown_code",
                    code=next(iter(mapping)), other=SHEETS["rows"])
    dropped = [_text(r.get("from")) for _, r in sheets["mapping"] if not r.get("code")]
    if dropped:
        out.data["dropped"] = [c for d in dropped for c in _list(d)]
    out.data["sections"] = list(sections.values())
    out.data["rules"] = []
    for row, record in sheets["rules"]:
        rule = {c: _text(record.get(c)) for c in RULE_COLUMNS if record.get(c) not in (None, "")}
        out.data["rules"].append(rule)
        out.where[f"rule:{rule.get('code', '')}"] = (SHEETS["rules"], row)
    return out


def _records(book: Any, title: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    if title not in book.sheetnames:
        raise ParstatError("template.invalid", template=name, where="sheet", sheet=title,
                           reason="template.missing_sheet")
    rows = list(book[title].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    out = []
    for number, values in enumerate(rows[1:], start=2):
        record = {h: v for h, v in zip(header, values, strict=False) if h}
        if any(v not in (None, "") for v in record.values()):
            out.append((number, record))
    return out


def _fail(name: str, sheet: str, row: int, reason: str, **params: Any) -> ParstatError:
    """``template.invalid`` at a sheet's row, for the term ``reason.template.<reason>``."""
    return ParstatError("template.invalid", template=name, where="sheet_row", sheet=sheet,
                        line=row, reason=f"template.{reason}", **params)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _list(value: Any) -> list[str]:
    return [part.strip() for part in _text(value).split(",") if part.strip()]


def _flag(value: Any) -> bool:
    return _text(value).strip().lower() in ("true", "1", "có", "x")


def _info_value(key: str, value: Any, name: str, row: int) -> Any:
    if key == "edition":
        try:
            return int(_text(value))
        except ValueError:
            raise _fail(name, SHEETS["info"], row, "edition_year") from None
    if key == "applies_from":
        if isinstance(value, datetime):
            return value.date()
        try:
            return date.fromisoformat(_text(value)) if value else None
        except ValueError:
            raise _fail(name, SHEETS["info"], row, "not_a_date", field="applies_from") \
                from None
    if key == "unit_kinds":
        return _list(value)
    if key == "synthetic":
        return _flag(value)
    return _text(value)


def _indicator(record: dict[str, Any], name: str, row: int) -> dict[str, Any]:
    item: dict[str, Any] = {"code": _text(record.get("code")), "stt": _text(record.get("stt")),
                            "label": _text(record.get("label")), "unit": _text(record.get("unit")),
                            "kind": _text(record.get("kind")),
                            "aggregation": _text(record.get("aggregation"))}
    if not item["aggregation"]:
        del item["aggregation"]
    for key in ("measure", "formula", "comment"):
        if record.get(key) not in (None, ""):
            item[key] = _text(record.get(key))
    if _flag(record.get("cumulative")):
        item["cumulative"] = True
    if record.get("unit_kinds"):
        item["unit_kinds"] = _list(record.get("unit_kinds"))
    if record.get("choices"):
        item["choices"] = []
        for part in _text(record.get("choices")).split(";"):
            value, sep, label = part.partition("=")
            if not sep or not value.strip().lstrip("-").isdigit():
                raise _fail(name, SHEETS["rows"], row, "choice_form", given=part.strip())
            item["choices"].append({"value": int(value), "label": label.strip()})
    return item


@dataclass
class TemplateImport:
    """A workbook (or YAML) checked, and published unless a dry run: what the page shows."""

    file: str
    dry_run: bool
    code: str = ""
    name: str = ""
    exists: bool = False
    refused: list[dict[str, Any]] = field(default_factory=list)
    mapping: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    rules: int = 0

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.refused

    def as_dict(self) -> dict[str, Any]:
        entry = {"row": "", "code": self.code, "name": self.name}
        return {"file": self.file, "dry_run": self.dry_run, "applied": self.applied,
                "counts": {"new": 0 if self.exists or self.refused else 1,
                           "changed": 1 if self.exists and not self.refused else 0,
                           "unchanged": 0, "refused": len(self.refused)},
                "new": [] if self.exists or self.refused else [entry],
                "changed": [{**entry, "changes": {}}] if self.exists and not self.refused else [],
                "refused": self.refused, "rows": self.rows, "rules": self.rules,
                "mapping": self.mapping}


def import_template(content: bytes, name: str, *, acting_user: Any = None,
                    dry_run: bool = False) -> TemplateImport:
    """Check a workbook (or a YAML file) as the loader checks the built-in files; publish it
    unless a dry run. Each refusal names the sheet and row (or the YAML place) and the reason."""
    import yaml

    from parstat.catalog.loader import check_template_data, load_template_data

    result = TemplateImport(file=name, dry_run=dry_run)
    try:
        if content[:2] == b"PK":
            book = read_workbook(content, name)
        else:
            loaded = yaml.safe_load(content)
            if not isinstance(loaded, dict):
                raise ParstatError("template.invalid", template=name, where="yaml",
                                   reason="template.not_a_template")
            book = WorkbookData(loaded)
        checked = check_template_data(book.data, name=name)
    except ParstatError as error:
        result.refused.append(_refusal(error, book.where if "book" in locals() else {}))
        return result
    except Exception as error:  # YAML syntax errors and the like
        result.refused.append({"row": "", "code": "", "error": "template.invalid",
                               "message": str(error)[:300], "message_en": str(error)[:300]})
        return result
    result.code, result.name = str(book.data["code"]), str(book.data["name"])
    result.exists = Template.objects.filter(code=result.code).exists()
    result.rows, result.rules = len(checked.indicators), len(checked.rules)
    for kind, _olds in checked.mapping.values():
        result.mapping[kind] = result.mapping.get(kind, 0) + 1
    if not dry_run:
        digest = hashlib.sha256(content).hexdigest()
        try:
            load_template_data(book.data, digest, name=name, force=True)
        except ParstatError as error:
            result.refused.append(_refusal(error, book.where))
    return result


def _refusal(error: ParstatError, where: dict[str, tuple[str, int]]) -> dict[str, Any]:
    """A refusal of the checked data, said at the sheet and row its item came from."""
    place, code = error.params.get("where", ""), str(error.params.get("code", ""))
    key = {"indicator": code, "formula": code, "rule": f"rule:{code}",
           "rule_side": f"rule:{code}"}.get(str(place), "")
    located = where.get(key)

    def at(language: str | None = None) -> str:
        if located is None:
            return ""
        with translation.override(language or translation.get_language()):
            return str(TERMS["where.sheet_row"]).format(sheet=located[0], line=located[1])

    return {"row": at() or error.said("where"), "code": code, "error": error.code,
            "message": error.message + (f" ({at('vi')})" if located else ""),
            "message_en": error.message_en + (f" ({at('en')})" if located else "")}
