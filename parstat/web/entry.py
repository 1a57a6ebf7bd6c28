"""The entry form's rows: what each cell of the official table shows and accepts, and their HTML.

The rows are built here in Python (``entry_rows_html``), not in the template: a table of ~180
rows took ~25 template nodes each, most of the form's time. Every piece of text goes through
``esc`` (Django's escaping, without its lazy wrapper) or ``format_html``; only the fixed markup
around it is trusted.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from parstat.catalog.layout import template_layout
from parstat.catalog.models import Indicator, Kind, Section
from parstat.numbers import format_vn_number
from parstat.reporting.checks import Evaluation
from parstat.reporting.models import Report
from parstat.reporting.values import BLANK_WORD
from parstat.rules.findings import Finding


@dataclass
class EntryRow:
    indicator: Indicator
    text: str  # what the input shows: "1.327", "32,5", "1" for a flag, "" for blank
    note: str
    derived: str = ""  # the computed value, shown beside a blank formula row
    formula: dict[str, str] | None = None  # formula rows: see formula_cell
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # the refusal of what was typed, when a save failed
    applies: bool = True  # False: a row for other unit kinds, shown "không áp dụng"

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def widget(self) -> str:
        if self.indicator.kind in (Kind.FLAG, Kind.CHOICE):
            return "select"
        return "textarea" if self.indicator.kind == Kind.TEXT else "input"

    @property
    def is_blank(self) -> bool:
        return self.text == ""


@dataclass
class EntrySection:
    section: Section
    rows: list[EntryRow]


def input_text(indicator: Indicator, value: Decimal | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if indicator.kind in (Kind.FLAG, Kind.CHOICE):
        return str(int(value))
    return format_vn_number(value)


def formula_cell(indicator: Indicator, evaluation: Evaluation) -> dict[str, str]:
    """What the form shows beside a formula row: the value derived for a blank cell, or, for a
    typed one, what the formula gives and whether they disagree (then "Dùng giá trị tính")."""
    code = indicator.code
    derived, computed = evaluation.derived.get(code), evaluation.computed.get(code)
    mismatch = any(f.rule == f"formula:{code}" for f in evaluation.findings)
    return {"code": code, "formula": indicator.formula,
            "derived": format_vn_number(derived) if derived is not None else "",
            "computed": format_vn_number(computed) if computed is not None else "",
            "mismatch": "1" if mismatch else ""}


def entry_sections(report: Report, evaluation: Evaluation,
                   typed: Mapping[str, tuple[str, str]] | None = None,
                   errors: Mapping[str, str] | None = None) -> list[EntrySection]:
    """Rows by section; ``typed`` (code → (value text, note)) re-shows a refused form as typed."""
    typed, errors = typed or {}, errors or {}
    by_code: dict[str, list[Finding]] = {}
    for finding in evaluation.findings:
        for code in finding.codes:
            by_code.setdefault(code, []).append(finding)
    sections: dict[int, EntrySection] = {}
    for indicator in template_layout(report.template).indicators:
        stored = evaluation.stored.get(indicator.code)
        text = input_text(indicator, stored.content if stored else None)
        note = stored.note if stored else ""
        if indicator.code in typed:
            text, note = typed[indicator.code]
        derived = evaluation.derived.get(indicator.code)
        row = EntryRow(indicator=indicator, text=text, note=note,
                       derived=format_vn_number(derived) if derived is not None else "",
                       formula=formula_cell(indicator, evaluation) if indicator.formula else None,
                       findings=by_code.get(indicator.code, []),
                       error=errors.get(indicator.code, ""),
                       applies=indicator.applies_to(report.unit.kind))
        sections.setdefault(indicator.section_id, EntrySection(indicator.section, [])).rows.append(row)
    return list(sections.values())


@dataclass(frozen=True)
class RowChrome:
    """What every row of one page shares, worked out once per page: whether the cells save
    (and where to), and the translated words every row repeats, all escaped already."""

    can_edit: bool
    save_url: str
    blank: str
    note: str
    not_applicable: str

    @classmethod
    def for_page(cls, *, can_edit: bool, save_url: str) -> RowChrome:
        return cls(can_edit=can_edit, save_url=esc(save_url), blank=esc(str(BLANK_WORD)),
                   note=esc(_("Ghi chú")), not_applicable=esc(_("không áp dụng")))


def esc(text: object) -> str:
    """Text escaped for HTML, as Django's ``escape`` does it (``html.escape``: & < > " '), without
    its lazy-text wrapper, which cost more than the escaping on a table of ~180 rows."""
    return html.escape(str(text))


def domid(code: str) -> str:
    """An indicator code as a piece of an HTML id usable in CSS selectors: I.1.a → I_1_a."""
    return str(code).replace(".", "_")


def formula_cell_html(f: Mapping[str, str], *, oob: bool = False) -> SafeString:
    """The span beside a formula row (see formula_cell): "= 12", or "≠ 12" and its button."""
    if f["derived"]:
        shown = format_html("= {}", f["derived"])
    elif f["mismatch"]:
        shown = format_html('<span class="computed">≠ {}</span> <button type="button" '
                            'class="use-computed" data-code="{}">{}</button>',
                            f["computed"], f["code"], _("Dùng giá trị tính"))
    else:
        shown = format_html("= {}", f["computed"]) if f["computed"] else SafeString("")
    return format_html('<span id="derived-{}" class="derived{}"{} title="{}: {}">{}</span>\n',
                       domid(f["code"]), " mismatch" if f["mismatch"] else "",
                       SafeString(' hx-swap-oob="true"') if oob else "",
                       _("Giá trị tính từ công thức"), f["formula"], shown)


def _saves(chrome: RowChrome, dom: str, field: str, otherwise: str) -> str:
    """The htmx attributes that save one field as it changes (only that field and the
    version are posted), or ``disabled``/``readonly`` on a page that cannot edit. ``dom`` and
    ``field`` come escaped."""
    if not chrome.can_edit:
        return otherwise
    return (f'hx-post="{chrome.save_url}" hx-trigger="change" hx-target="#status-{dom}" '
            f'hx-include="#report-version" hx-params="{field},version" '
            'hx-sync="#entry-form:queue all"')


def _value_html(row: EntryRow, chrome: RowChrome, dom: str, code: str) -> str:
    """The value's widget (``dom`` and ``code`` come escaped)."""
    if not row.applies:
        return f'<span class="na">{chrome.not_applicable}</span>\n'
    name = f"v:{code}"
    if row.widget == "select":
        options = "".join(
            f'<option value="{esc(c["value"])}"{" selected" if row.text == str(c["value"]) else ""}>'
            f'{esc(c["label"])} = {esc(c["value"])}</option>' for c in row.indicator.choices)
        return (f'<select id="v-{dom}" name="{name}" {_saves(chrome, dom, name, "disabled")}>\n'
                f'<option value=""{" selected" if row.is_blank else ""}>— {chrome.blank} —'
                f'</option>\n{options}\n</select>\n')
    if row.widget == "textarea":
        return (f'<textarea id="v-{dom}" name="{name}" rows="2" '
                f'{_saves(chrome, dom, name, "readonly")}>{esc(row.text)}</textarea>\n')
    return (f'<input id="v-{dom}" name="{name}" value="{esc(row.text)}" inputmode="decimal" '
            f'placeholder="{chrome.blank}" autocomplete="off" '
            f'{_saves(chrome, dom, name, "readonly")}>\n')


def row_html(row: EntryRow, chrome: RowChrome) -> str:
    """One indicator's row of the form, as escaped HTML: label, unit, the value's widget (or
    "không áp dụng"), the formula's value, the note, and the save status (the refusal, when a
    save failed). Every piece of text passes through ``esc``; the rest is fixed markup."""
    indicator = row.indicator
    code, dom = esc(row.code), esc(domid(row.code))
    classes = "".join((f"level{int(indicator.level)}", " flagged" if row.findings else "",
                       " refused" if row.error else "", "" if row.applies else " not-applicable"))
    badges = "".join(f'<span class="badge-{esc(f.severity)}" title="{esc(f.localized)}">'
                     f'{esc(f.rule)}</span>' for f in row.findings)
    formula = formula_cell_html(row.formula) if row.formula else ""
    error = (f'<span class="cell-error" role="alert">{esc(row.error)}</span>'
             if row.error else "")
    note_field = f"n:{code}"
    return (f'<tr id="row-{dom}" data-code="{code}" class="{classes}">\n'
            f'<td>{esc(indicator.stt)}</td>\n'
            f'<td class="label"><label for="v-{dom}">{esc(indicator.label)}</label> '
            f'<span class="code">{code}</span>\n'
            f'<span class="row-findings" data-for="{code}">{badges}</span></td>\n'
            f'<td class="unit">{esc(indicator.unit)}</td>\n'
            f'<td class="value">\n{_value_html(row, chrome, dom, code)}{formula}</td>\n'
            f'<td class="note"><textarea name="{note_field}" rows="1" '
            f'aria-label="{chrome.note} {code}" placeholder="{chrome.note}" tabindex="-1" '
            f'{_saves(chrome, dom, note_field, "readonly")}>{esc(row.note)}</textarea></td>\n'
            f'<td class="status" id="status-{dom}">{error}</td>\n</tr>\n')


def entry_rows_html(sections: list[EntrySection], chrome: RowChrome) -> SafeString:
    """The table body's rows: each section's heading row, then its indicators' rows.

    Safe to mark as HTML because every piece of text in it went through ``esc`` (or
    ``format_html``) on its way in: see row_html."""
    parts: list[str] = []
    for block in sections:
        parts.append(f'<tr class="section"><td>{esc(block.section.numeral)}</td>'
                     f'<td colspan="5">{esc(block.section.label)}</td></tr>\n')
        parts.extend(row_html(row, chrome) for row in block.rows)
    return SafeString("".join(parts))
