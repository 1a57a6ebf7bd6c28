"""Loading a template file (``parstat/catalog/data/*.yaml``) into the database.

The whole file is checked before anything is written: a bad kind, a duplicate code, a formula
that does not parse or reads an unknown row, a cycle of formulas — each is refused with the row and
the reason, and the database keeps the previous version untouched.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from parstat.catalog.models import (
    Aggregation,
    Indicator,
    Kind,
    Mapping,
    MissingStrategy,
    Rule,
    Section,
    Severity,
    Template,
)
from parstat.errors import ParstatError
from parstat.rules.evaluate import OPERATORS, formula_order
from parstat.rules.expressions import Expression, parse_expression
from parstat.units.models import UnitKind

DATA_DIR = Path(__file__).parent / "data"
CODE = re.compile(r"^(?P<section>[IVX]+)\.\d+(\.[a-z]+(\.\d+)?)?$")
DEFAULT_AGGREGATION = {
    Kind.COUNT: Aggregation.SUM, Kind.DECIMAL: Aggregation.SUM, Kind.PERCENT: Aggregation.NONE,
    Kind.FLAG: Aggregation.COUNT_ONES, Kind.CHOICE: Aggregation.CHOICE_COUNTS,
    Kind.TEXT: Aggregation.LIST, Kind.GROUP: Aggregation.NONE,
}
PLACEHOLDER = re.compile(r"\{([^}]*)\}")


@dataclass
class _Checker:
    template: str

    def fail(self, where: str, reason: str | ParstatError, **params: Any) -> ParstatError:
        """``template.invalid`` at ``where``, for ``reason``: the terms ``where.…`` and
        ``reason.template.…`` of :data:`parstat.errors.TERMS`, taking ``params``."""
        return ParstatError("template.invalid", template=self.template, where=where,
                            reason=reason if isinstance(reason, ParstatError)
                            else f"template.{reason}", **params)


def builtin_template_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def read_template_file(path: Path) -> tuple[dict[str, Any], str]:
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise ParstatError("template.invalid", template=path.name, where="yaml",
                           reason=str(error)) from None
    if not isinstance(data, dict):
        raise _Checker(path.name).fail("yaml", "not_a_template")
    return data, hashlib.sha256(raw).hexdigest()


def load_template_file(path: Path, *, force: bool = False,
                       synthetic: bool = False) -> tuple[Template, bool]:
    """Load ``path``; returns the template and whether anything was written."""
    data, digest = read_template_file(path)
    if synthetic:
        data["synthetic"] = True
    return load_template_data(data, digest, name=path.name, force=force)


@dataclass(frozen=True)
class CheckedTemplate:
    """A template's data once every check passed: what would be written."""

    data: dict[str, Any]
    sections: list[dict]
    indicators: dict[str, dict]
    rules: list[dict]
    previous: Template | None
    mapping: dict[str, tuple[str, list[str]]]  # code → (Mapping, old codes)


def check_template_data(data: dict[str, Any], *, name: str = "") -> CheckedTemplate:
    """Every check of a template (file or workbook), writing nothing."""
    check = _Checker(str(data.get("code") or name))
    indicators, sections = _validate_indicators(data, check)
    rules = _validate_rules(data, indicators, check)
    previous, mapping = _validate_edition(data, indicators, check)
    return CheckedTemplate(data, sections, indicators, rules, previous, mapping)


def load_template_data(data: dict[str, Any], digest: str, *, name: str = "",
                       force: bool = False) -> tuple[Template, bool]:
    checked = check_template_data(data, name=name)
    existing = Template.objects.filter(code=data["code"]).first()
    if existing and existing.source_sha256 == digest and not force:
        return existing, False
    if existing is not None:
        _refuse_change_in_use(existing, checked)
    return _write(checked, digest), True


def _require(item: dict[str, Any], keys: tuple[str, ...], where: str, check: _Checker,
             **place: Any) -> None:
    for key in keys:
        if key not in item:
            raise check.fail(where, "missing_field", field=key, **place)


def _validate_indicators(data: dict[str, Any], check: _Checker) -> tuple[dict[str, dict], list[dict]]:
    _require(data, ("code", "name", "edition", "sections"), "head", check)
    indicators: dict[str, dict] = {}
    sections = data["sections"] or []
    for s_index, section in enumerate(sections, start=1):
        _require(section, ("numeral", "label", "indicators"), "section", check,
                 section=s_index)
        for item in section["indicators"] or []:
            _validate_indicator(item, section["numeral"], indicators, check)
            indicators[item["code"]] = item
    if not indicators:
        raise check.fail("head", "no_indicators")
    _validate_formulas(indicators, check)
    return indicators, sections


def _validate_indicator(item: dict, numeral: str, seen: dict[str, dict], check: _Checker) -> None:
    code = str(item.get("code", ""))
    where = "indicator" if code else "indicator_uncoded"
    _require(item, ("code", "label", "kind"), where, check, code=code)
    match = CODE.match(code)
    if not match or match["section"] != numeral:
        raise check.fail(where, "code_form", code=code, numeral=numeral)
    if code in seen:
        raise check.fail(where, "code_repeated", code=code)
    parent = code.rsplit(".", 1)[0]
    if parent.count(".") >= 1 and parent not in seen:
        raise check.fail(where, "parent_first", code=code, parent=parent)
    if item["kind"] not in Kind.values:
        raise check.fail(where, "bad_kind", code=code, given=item["kind"],
                         allowed=", ".join(Kind.values))
    aggregation = item.get("aggregation", DEFAULT_AGGREGATION[item["kind"]])
    if aggregation not in Aggregation.values:
        raise check.fail(where, "bad_aggregation", code=code, given=aggregation)
    if aggregation == Aggregation.FORMULA and not item.get("formula"):
        raise check.fail(where, "formula_missing", code=code)
    if "formula_check" in item:
        if not item.get("formula"):
            raise check.fail(where, "check_without_formula", code=code)
        if item["formula_check"] not in Severity.values:
            raise check.fail(where, "bad_formula_check", code=code)
    if item["kind"] in (Kind.FLAG, Kind.CHOICE):
        _validate_choices(item, code, check)


def _validate_choices(item: dict, code: str, check: _Checker) -> None:
    choices = item.get("choices") or []
    values = [c.get("value") for c in choices if isinstance(c, dict)]
    if len(values) != len(choices) or len(values) < 2 or len(set(values)) != len(values):
        raise check.fail("indicator", "choices", code=code)
    if item["kind"] == Kind.FLAG and set(values) != {0, 1}:
        raise check.fail("indicator", "flag_values", code=code)


def _parse(text: str, check: _Checker, where: str, **place: Any) -> Expression:
    try:
        return parse_expression(str(text))
    except ParstatError as error:
        raise check.fail(where, error, **place) from None


def _validate_formulas(indicators: dict[str, dict], check: _Checker) -> None:
    parsed: dict[str, Expression] = {}
    for code, item in indicators.items():
        if not item.get("formula"):
            continue
        place = {"code": code, "formula": item["formula"]}
        expression = _parse(item["formula"], check, "formula", **place)
        unknown = sorted(expression.codes - indicators.keys())
        if unknown:
            raise check.fail("formula", "unknown_codes", codes=", ".join(unknown), **place)
        if code in expression.codes:
            raise check.fail("formula", "self_reference", **place)
        parsed[code] = expression
    try:
        formula_order(parsed)
    except ValueError as cycle:
        raise check.fail("formulas", "formula_cycle", cycle=str(cycle)) from None


def family_of(data: dict[str, Any]) -> str:
    """The table a template is an edition of: ``family``, or its code less a final year."""
    return str(data.get("family") or re.sub(r"-\d{4}$", "", str(data["code"])))


def _validate_edition(data: dict[str, Any], indicators: dict[str, dict], check: _Checker
                      ) -> tuple[Template | None, dict[str, tuple[str, list[str]]]]:
    """Each row's relation to the previous edition, checked: every old row is continued or
    dropped, none twice (except a split), and the rows named exist."""
    for key in ("applies_from",):
        if data.get(key) is not None and not isinstance(data[key], date):
            raise check.fail("head", "not_a_date", field=key)
    for code, item in indicators.items():
        kinds = item.get("unit_kinds") or []
        unknown = sorted(set(kinds) - set(UnitKind.values))
        if unknown:
            raise check.fail("indicator", "bad_unit_kinds", code=code, codes=", ".join(unknown))
    unknown = sorted(set(data.get("unit_kinds") or []) - set(UnitKind.values))
    if unknown:
        raise check.fail("head", "bad_unit_kinds", codes=", ".join(unknown))
    if not data.get("previous"):
        if data.get("dropped") or any("from" in i for i in indicators.values()):
            raise check.fail("head", "mapping_without_previous")
        return None, {}
    previous = Template.objects.filter(code=data["previous"]).first()
    if previous is None:
        raise check.fail("head", "previous_not_loaded", previous=data["previous"])
    if family_of(data) != previous.family:
        raise check.fail("head", "previous_other_table", previous=previous.code,
                         family=previous.family, own=family_of(data))
    old = {i.code: i for i in Indicator.objects.filter(template=previous)}
    sources: dict[str, list[str]] = {}
    for code, item in indicators.items():
        given = item.get("from", [code] if code in old else [])
        sources[code] = [str(c) for c in ([given] if isinstance(given, str) else given or [])]
        missing = [c for c in sources[code] if c not in old]
        if missing:
            raise check.fail("indicator", "from_unknown", code=code, previous=previous.code,
                             codes=", ".join(missing))
    referrers: dict[str, list[str]] = {}
    for code, olds in sources.items():
        for old_code in olds:
            referrers.setdefault(old_code, []).append(code)
    dropped = [str(c) for c in data.get("dropped") or []]
    for old_code in dropped:
        if old_code not in old:
            raise check.fail("dropped", "dropped_unknown", old=old_code, previous=previous.code)
        if old_code in referrers:
            raise check.fail("dropped", "dropped_and_continued", old=old_code,
                             codes=", ".join(referrers[old_code]))
    unaccounted = sorted(set(old) - set(referrers) - set(dropped), key=_code_key)
    if unaccounted:
        raise check.fail("mapping", "unaccounted", previous=previous.code,
                         codes=", ".join(unaccounted))
    mapping: dict[str, tuple[str, list[str]]] = {}
    for code, olds in sources.items():
        if not olds:
            mapping[code] = (Mapping.NEW, [])
        elif len(olds) > 1:
            shared = [c for c in olds if len(referrers[c]) > 1]
            if shared:
                raise check.fail("indicator", "merge_shared", code=code, codes=", ".join(shared))
            mapping[code] = (Mapping.MERGED, olds)
        elif len(referrers[olds[0]]) > 1:
            mapping[code] = (Mapping.SPLIT, olds)
        else:
            same = " ".join(old[olds[0]].label.split()) == " ".join(
                str(indicators[code]["label"]).split())
            mapping[code] = (Mapping.SAME if same else Mapping.RENAMED, olds)
    return previous, mapping


def _code_key(code: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))


# What an erratum may change in an edition that already has reports: wording only.
ERRATUM_FIELDS = ("label", "unit", "measure", "comment", "stt")


def _refuse_change_in_use(existing: Template, checked: CheckedTemplate) -> None:
    from parstat.reporting.models import Report

    if not Report.objects.filter(template=existing).exists():
        return
    stored = {i.code: i for i in Indicator.objects.filter(template=existing)}
    for code, item in checked.indicators.items():
        indicator = stored.get(code)
        wanted = _indicator_fields(item)
        if indicator is None or any(getattr(indicator, k) != v for k, v in wanted.items()
                                    if k not in ERRATUM_FIELDS + ("section", "position")):
            raise ParstatError("template.edition_in_use", template=existing.code, code=code)
    if set(stored) != set(checked.indicators):
        raise ParstatError("template.edition_in_use", template=existing.code,
                           code=", ".join(sorted(set(stored) ^ set(checked.indicators))))
    rules = [(r.code, r.left, r.operator, r.right, r.severity, r.missing) for r in
             Rule.objects.filter(template=existing).order_by("position")]
    wanted_rules = [(r["code"], str(r["left"]), r["operator"], str(r["right"]), r["severity"],
                     r.get("missing", MissingStrategy.SKIP_IF_ANY_MISSING))
                    for r in checked.rules]
    if rules != wanted_rules:
        raise ParstatError("template.edition_in_use", template=existing.code,
                           code=gettext_lazy("(quy tắc kiểm tra)"))  # said in the reader's language


def _validate_rules(data: dict[str, Any], indicators: dict[str, dict], check: _Checker) -> list[dict]:
    rules = data.get("rules") or []
    seen: set[str] = set()
    for rule in rules:
        code = rule.get("code", "")
        where = "rule" if "code" in rule else "rule_uncoded"
        _require(rule, ("code", "left", "operator", "right", "severity", "message"), where, check,
                 code=code)
        if rule["code"] in seen:
            raise check.fail(where, "rule_repeated", code=code)
        seen.add(rule["code"])
        if rule["operator"] not in OPERATORS:
            raise check.fail(where, "bad_operator", code=code, given=rule["operator"])
        if rule["severity"] not in Severity.values:
            raise check.fail(where, "bad_severity", code=code)
        if rule.get("missing", MissingStrategy.SKIP_IF_ANY_MISSING) not in MissingStrategy.values:
            raise check.fail(where, "bad_missing", code=code, given=rule["missing"])
        for side in ("left", "right"):
            expression = _parse(rule[side], check, "rule_side", code=code, side=side)
            unknown = sorted(expression.codes - indicators.keys())
            if unknown:
                raise check.fail(where, "unknown_codes", code=code, codes=", ".join(unknown))
        extra = set(PLACEHOLDER.findall(rule["message"])) - {"left", "right"}
        if extra:
            raise check.fail(where, "rule_placeholders", code=code, extra=str(sorted(extra)))
    return rules


@transaction.atomic
def _write(checked: CheckedTemplate, digest: str) -> Template:
    data, check = checked.data, _Checker(str(checked.data["code"]))
    existing = Template.objects.filter(code=data["code"]).first()
    before = ({i.code: {k: getattr(i, k) for k in ERRATUM_FIELDS}
               for i in Indicator.objects.filter(template=existing)} if existing else {})
    template, _ = Template.objects.update_or_create(code=data["code"], defaults={
        "name": data["name"], "edition": data["edition"], "appendix": data.get("appendix", ""),
        "title": data.get("title", ""), "unit_kinds": data.get("unit_kinds", []),
        "columns": data.get("columns", {}), "source_sha256": digest,
        "family": family_of(data),
        "applies_from": data.get("applies_from") or date(int(data["edition"]), 1, 1),
        "previous": checked.previous, "synthetic": bool(data.get("synthetic", False))})
    _drop_removed_indicators(template, checked.indicators.keys(), check)
    position = 0
    for s_position, section_data in enumerate(checked.sections, start=1):
        section, _ = Section.objects.update_or_create(
            template=template, numeral=section_data["numeral"],
            defaults={"label": section_data["label"], "position": s_position})
        for item in section_data["indicators"] or []:
            position += 1
            mapping, olds = checked.mapping.get(item["code"], ("", []))
            Indicator.objects.update_or_create(template=template, code=item["code"], defaults={
                **_indicator_fields(item), "section": section, "position": position,
                "mapping": mapping, "mapped_from": olds,
                "breaks_series": bool(item.get("breaks_series", False))
                or mapping in (Mapping.SPLIT, Mapping.MERGED)})
    Section.objects.filter(template=template).exclude(
        numeral__in=[s["numeral"] for s in checked.sections]).delete()
    Rule.objects.filter(template=template).delete()
    Rule.objects.bulk_create(
        Rule(template=template, code=r["code"], left=str(r["left"]), operator=r["operator"],
             right=str(r["right"]), severity=r["severity"],
             missing=r.get("missing", MissingStrategy.SKIP_IF_ANY_MISSING),
             message=r["message"], position=i)
        for i, r in enumerate(checked.rules, start=1))
    if before:
        _record_erratum(template, before)
    return template


def _record_erratum(template: Template, before: dict[str, dict[str, Any]]) -> None:
    """A reworded edition (the only change allowed once it has reports) is audited."""
    from parstat.catalog.models import TemplateChange

    changes = {}
    for indicator in Indicator.objects.filter(template=template):
        old = before.get(indicator.code, {})
        diff = {k: [old.get(k), getattr(indicator, k)] for k in ERRATUM_FIELDS
                if old.get(k) != getattr(indicator, k)}
        if diff:
            changes[indicator.code] = diff
    if changes:
        TemplateChange.objects.create(template=template, detail=changes,
                                      happened_at=timezone.now())


def _indicator_fields(item: dict) -> dict[str, Any]:
    return {"stt": str(item.get("stt", "") or ""), "label": item["label"],
            "unit": item.get("unit", "") or "", "measure": item.get("measure", "") or "",
            "kind": item["kind"],
            "aggregation": item.get("aggregation", DEFAULT_AGGREGATION[item["kind"]]),
            "cumulative": bool(item.get("cumulative", False)),
            "formula": str(item.get("formula", "") or ""),
            "formula_check": item.get("formula_check", Severity.ERROR),
            "choices": item.get("choices", []) or [], "level": item["code"].count("."),
            "comment": item.get("comment", "") or "",
            "unit_kinds": list(item.get("unit_kinds") or [])}


def _drop_removed_indicators(template: Template, keep: Any, check: _Checker) -> None:
    from parstat.reporting.models import ValueChange

    removed = Indicator.objects.filter(template=template).exclude(code__in=list(keep))
    for indicator in removed:
        # The audit trail keeps old values of a cleared cell: those protect the row too.
        count = indicator.values.count() + ValueChange.objects.filter(indicator=indicator).count()
        if count:
            raise ParstatError("template.in_use", template=template.code, code=indicator.code,
                               count=count)
    removed.delete()


def load_builtin_templates(*, force: bool = False) -> list[tuple[Template, bool]]:
    return [load_template_file(path, force=force) for path in builtin_template_files()]
