"""The printed layout of a table, shared by the .docx, .pdf and .xlsx writers.

A unit's table prints as the official one: STT · Chỉ tiêu thống kê · Đơn vị tính · Kết quả thống
kê (Số lượng/tỷ lệ) · Ghi chú, with the two-row header whose "Kết quả thống kê" spans its
sub-column. A consolidated table keeps the first three columns and puts under the merged
"Kết quả tổng hợp" heading the total, how many units it covers, and, when asked, one column per
unit. Cells keep their raw value (a Decimal stays a number for a spreadsheet); :func:`shown`
gives the text a printed page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation

from parstat.analytics.consolidation import spread_text
from parstat.analytics.states import StateScope
from parstat.exports.table import ReportTable, TableRow
from parstat.reporting.models import ReportState
from parstat.vnformat import format_vn_number, period_label, vn_date

Cell = Decimal | str | int | None

SYNTHETIC_BANNER = "DỮ LIỆU MINH HỌA (tổng hợp, không phải số liệu thật)"
PROVISIONAL_BANNER = "SỐ LIỆU TẠM TÍNH (gồm cả báo cáo đang soạn, chưa gửi)"


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    group: str = ""  # columns sharing a group get one merged heading above their own titles
    align: str = "left"  # left | center | right


@dataclass(frozen=True)
class PrintRow:
    section: bool  # a section heading ("I", "CÔNG TÁC CHỈ ĐẠO…") spanning the label columns
    cells: tuple[Cell, ...]
    level: int = 0
    derived: bool = False


# STT is 14 mm: at 12 the bold "STT" of the heading broke into "ST / T" in Word and LibreOffice.
UNIT_COLUMNS = (
    Column("STT", 14, align="center"),
    Column("Chỉ tiêu thống kê", 76),
    Column("Đơn vị tính", 24, align="center"),
    Column("Số lượng/tỷ lệ", 22, group="Kết quả thống kê", align="right"),
    Column("Ghi chú", 29),
)


def columns(table: ReportTable) -> tuple[Column, ...]:
    if not table.consolidated:
        return UNIT_COLUMNS
    group = "Kết quả tổng hợp"
    fixed = (Column("STT", 14, align="center"), Column("Chỉ tiêu thống kê", 68),
             Column("Đơn vị tính", 22, align="center"),
             Column("Tổng hợp", 26, group=group, align="right"),
             Column("Số đơn vị có số liệu", 16, group=group, align="right"))
    units = tuple(Column(c.code + (f" (nay: {c.today_code})" if c.today_code else ""), 18,
                         group=group, align="right") for c in table.unit_columns)
    return fixed + units


def header_rows(cols: tuple[Column, ...]) -> tuple[list[tuple[str, int]], list[str]]:
    """First header row as (text, span) runs, and the second row's titles ("" under a plain
    column, which the writers merge into the cell above)."""
    top: list[tuple[str, int]] = []
    for col in cols:
        text = col.group or col.title
        if col.group and top and top[-1][0] == col.group:
            top[-1] = (text, top[-1][1] + 1)
        else:
            top.append((text, 1))
    return top, [col.title if col.group else "" for col in cols]


def _total_cell(row: TableRow) -> Cell:
    if row.spread is not None:
        return spread_text(*row.spread)
    if row.blank_total:
        return None
    if row.aggregation == "choice_counts":
        return "; ".join(f"{label}: {units}" for _v, label, units in row.counts)
    if row.aggregation == "list":
        return "\n".join(f"{unit}: {text}" for unit, text in row.listed)
    return row.value


def body_rows(table: ReportTable) -> list[PrintRow]:
    out = []
    for section in table.sections:
        out.append(PrintRow(section=True, cells=(section.numeral, section.label)))
        for row in section.rows:
            stt: Cell = int(row.stt) if row.stt.isdigit() else row.stt
            if table.consolidated:
                # A heading that is not added up has no coverage to speak of: leave it empty.
                units = None if row.aggregation == "none" and not row.units else row.units
                cells: tuple[Cell, ...] = (stt, row.label, row.unit, _total_cell(row), units,
                                           *row.by_unit)
            else:
                cells = (stt, row.label, row.unit, row.value, row.note)
            out.append(PrintRow(section=False, cells=cells, level=row.level, derived=row.derived))
    return out


def shown(cell: Cell) -> str:
    """The text a printed page shows: Vietnamese number format, blank as nothing (never 0)."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal | int):
        return format_vn_number(cell)
    return cell


def document_line(table: ReportTable) -> str:
    """The appendix's reference to its report, dotted where the report is not yet numbered."""
    doc = table.document
    number = doc.number if doc and doc.number else "…………"
    day = vn_date(doc.date) if doc and doc.date else "…………"
    issuer = doc.issuer if doc and doc.issuer else "…………"
    return f"(Ban hành kèm theo Báo cáo số {number} ngày {day} của {issuer})"


def subtitle(table: ReportTable) -> str:
    window = f"{vn_date(table.period_start)} – {vn_date(table.period_end)}"
    who = f"Tổng hợp các đơn vị thuộc {table.unit_name}" if table.consolidated else table.unit_name
    return f"{who} — Kỳ báo cáo: {period_label(table.period_code)} (số liệu từ {window})"


def coverage_line(table: ReportTable) -> str:
    """Units that sent their report out of those that owe one, as completeness counts them."""
    if not table.consolidated:
        return ""
    structure = " theo cơ cấu tổ chức hiện nay" if table.today_structure else ""
    return (f"Số đơn vị có báo cáo: {table.units_received}/{table.units_expected} "
            f"(đã gửi hoặc đã tiếp nhận){structure}. "
            "Ô trống: không có đơn vị nào báo cáo (khác với số 0).")


def state_label(state: str) -> str:
    with translation.override("vi"):
        return str(ReportState(state).label) if state in ReportState.values else state


LEFT_OUT_NAMED = 20  # a printed page names this many left-out reports; the JSON lists them all


def scope_line(table: ReportTable) -> str:
    """Which reports the totals count and which were left out because of their state."""
    if not table.consolidated:
        return ""
    line = (f"Phạm vi số liệu: {table.scope_label}; đã cộng {table.units_reporting} báo cáo; "
            f"để ngoài {len(table.left_out)} báo cáo vì trạng thái")
    if table.left_out:
        named = [f"{o.unit_code} ({state_label(o.state).lower()})"
                 for o in table.left_out[:LEFT_OUT_NAMED]]
        more = len(table.left_out) - len(named)
        line += ": " + ", ".join(named) + (f" và {more} báo cáo khác" if more else "")
    return line + "."


# A unit's report not yet accepted is a draft, whatever prints it (Decree 30: "DỰ THẢO").
DRAFT_BANNER = "DỰ THẢO — báo cáo chưa được cơ quan tổng hợp tiếp nhận"
FINAL_STATES = StateScope.ACCEPTED.states  # what an official document counts


def banners(table: ReportTable) -> list[str]:
    """The red lines a people's format prints under its heading: a draft, provisional totals,
    demo data."""
    draft = not table.consolidated and table.state not in FINAL_STATES
    return ([DRAFT_BANNER] if draft else []) + (
        [PROVISIONAL_BANNER] if table.provisional else []) + (
        [SYNTHETIC_BANNER] if table.synthetic else [])
