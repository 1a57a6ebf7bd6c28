"""A corpus of report files typed the way offices type them, each with the value it means.

Built by code (python-docx, openpyxl), never committed as binaries. Every file starts from the
template's 178 rows as printed (labels, units, the seed's section order), gives its rows values
of their kind drawn from its own random generator, and then combines several of the layouts
that broke imports (issue #9): a table of contents or a task table first, added plan /
previous-year / comparison columns in different orders, a merged two-level header over two
years, a table continued with one more or one fewer column, decomposed (NFD) text,
abbreviations written out, numbering typed into the label cells, values in words, English
thousands separators, Excel fractions in percent rows, a cited earlier report, a title stating
another period. Each :class:`CorpusFile` knows, for every indicator row, the value the office
meant (``truth``) — the score in bench/fidelity.py compares what the import did with it.
"""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import yaml
from docx.enum.text import WD_BREAK

TEMPLATE_FILE = (Path(__file__).resolve().parent.parent / "parstat" / "catalog" / "data"
                 / "B1-SN-2023.yaml")


@dataclass(frozen=True)
class Line:
    """One row of a file's table: a section, or an indicator row with what its cells say."""

    stt: str
    label: str
    unit: str
    code: str = ""  # the indicator it is ("" for a section)
    kind: str = ""
    value: str = ""  # the value cell's text as typed
    truth: Decimal | None = None  # what the office meant (None: blank)
    others: dict[str, str] = field(default_factory=dict)  # plan / previous / comparison cells
    number: object = None  # an Excel cell stored as a number instead of value text

    @property
    def section(self) -> bool:
        return not self.code


@dataclass
class CorpusFile:
    name: str
    data: bytes
    period: str
    lines: list[Line]
    layouts: list[str]

    def expected(self) -> dict[str, Decimal]:
        return {ln.code: ln.truth for ln in self.lines if ln.code and ln.truth is not None}


# --- the template's rows ----------------------------------------------------------------------

def template_lines() -> list[Line]:
    data = yaml.safe_load(TEMPLATE_FILE.read_text(encoding="utf-8"))
    lines = []
    for section in data["sections"]:
        lines.append(Line(section["numeral"], section["label"], ""))
        for item in section["indicators"]:
            lines.append(Line(str(item.get("stt", "") or ""), item["label"],
                              str(item.get("unit", "") or ""), item["code"], item["kind"]))
    return lines


CHOICES = {line["code"]: line.get("choices") for s in
           yaml.safe_load(TEMPLATE_FILE.read_text(encoding="utf-8"))["sections"]
           for line in s["indicators"]}


def vn(number: Decimal) -> str:
    """Written the Vietnamese way: 1.327, 32,5."""
    sign, digits = "", format(number, "f")
    whole, _, frac = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join([whole, *groups])
    return sign + text + ("," + frac if frac else "")


def en(number: Decimal) -> str:
    return f"{number:,f}" if number != number.to_integral_value() else f"{int(number):,}"


def with_values(rng: random.Random, lines: list[Line], share: float = 0.7,
                big: float = 0.1) -> list[Line]:
    """Values of each row's kind for a share of the rows; blanks stay blank (not zero)."""
    out = []
    for line in lines:
        if line.section or line.kind in ("group", "text") or rng.random() > share:
            out.append(line)
            continue
        if line.kind == "count":
            amount = Decimal(rng.randint(1000, 25000) if rng.random() < big else
                             rng.randint(0, 400))
        elif line.kind == "percent":
            amount = Decimal(rng.randint(0, 1000)) / 10
        else:
            amount = Decimal(rng.choice([c["value"] for c in CHOICES[line.code]]))
        amount = amount.normalize() if amount else Decimal(0)
        if amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
        out.append(replace(line, value=vn(amount), truth=amount))
    return out


# --- variations of rows -----------------------------------------------------------------------

def nfd(lines: list[Line]) -> list[Line]:
    return [replace(ln, label=unicodedata.normalize("NFD", ln.label),
                    unit=unicodedata.normalize("NFD", ln.unit)) for ln in lines]


WRITTEN_OUT = {"TTHC": "thủ tục hành chính", "VBQPPL": "văn bản quy phạm pháp luật",
               "CCHC": "cải cách hành chính", "NSNN": "ngân sách nhà nước",
               "BCCI": "bưu chính công ích"}
ABBREVIATED = {"đơn vị sự nghiệp công lập": "đơn vị SNCL", "Ủy ban nhân dân": "UBND",
               "dịch vụ công": "DVC", "cán bộ, công chức, viên chức": "CBCCVC"}


def abbreviations(lines: list[Line], rng: random.Random) -> list[Line]:
    out = []
    for ln in lines:
        label = ln.label
        for short, long in WRITTEN_OUT.items():
            if short in label and rng.random() < 0.7:
                label = label.replace(short, long)
        for long, short in ABBREVIATED.items():
            label = label.replace(long, short)
        out.append(replace(ln, label=label))
    return out


def numbering(lines: list[Line], rng: random.Random) -> list[Line]:
    """Numbering typed into the label cell: "4.1.", "a)", "+", "*", "-"."""
    out, item, sub = [], 0, 0
    for ln in lines:
        if ln.section:
            item = 0
            out.append(ln)
            continue
        if ln.stt:
            item, sub = item + 1, 0
            out.append(replace(ln, label=f"{item}. {ln.label.lstrip('- ')}"))
            continue
        sub += 1
        prefix = rng.choice([f"{item}.{sub}.", f"{chr(96 + min(sub, 26))})", "+", "*", "-"])
        out.append(replace(ln, label=f"{prefix} {ln.label.lstrip('- ')}"))
    return out


def notes_dropped_and_added(lines: list[Line]) -> list[Line]:
    """"(nếu có)" left out of labels, a note in parentheses added to others."""
    out = []
    for index, ln in enumerate(lines):
        if ln.label.endswith(" (nếu có)"):
            ln = replace(ln, label=ln.label[:-len(" (nếu có)")])
        elif not ln.section and index % 9 == 0 and not ln.label.endswith(")"):
            ln = replace(ln, label=f"{ln.label.rstrip(':')} (số liệu đến ngày 14/9)")
        out.append(ln)
    return out


def district_wording(lines: list[Line]) -> list[Line]:
    return [replace(ln, label=ln.label.replace("UBND tỉnh giao", "UBND huyện giao"))
            for ln in lines]


def words_as_values(lines: list[Line], rng: random.Random) -> list[Line]:
    """ "Đạt"/"Không đạt", "x" ticks, "Không có", "05 văn bản" where certain for the row."""
    out = []
    for ln in lines:
        if ln.truth is None:
            out.append(ln)
            continue
        labels = {c["value"]: c["label"] for c in CHOICES.get(ln.code) or []}
        if ln.kind == "flag" and set(labels.values()) == {"Có", "Không"}:
            text = {1: rng.choice(["x", "Có", "Đạt"]), 0: rng.choice(["Không có", "Không đạt",
                                                                      "Không"])}[int(ln.truth)]
            out.append(replace(ln, value=text))
        elif ln.kind == "count" and ln.unit in ("Văn bản", "Nhiệm vụ", "Người", "Hồ sơ") \
                and rng.random() < 0.5:
            out.append(replace(ln, value=f"{int(ln.truth):02d} {ln.unit.lower()}"))
        else:
            out.append(ln)
    return out


def english_numbers(lines: list[Line]) -> list[Line]:
    """The whole file typed the English way (1,327 · 32.5)."""
    return [replace(ln, value=en(ln.truth)) if ln.truth is not None and ln.kind in
            ("count", "percent") else ln for ln in lines]


def one_english_thousand(lines: list[Line]) -> list[Line]:
    """One count of a Vietnamese file typed "2,000": ambiguous, must be refused."""
    out, done = [], False
    for ln in lines:
        if not done and ln.kind == "count" and ln.truth is not None:
            ln, done = replace(ln, value="2,000", truth=Decimal(2000)), True
        out.append(ln)
    return out


def other_columns(lines: list[Line], rng: random.Random) -> list[Line]:
    """Plan, previous-year and comparison figures beside each value (all different)."""
    out = []
    for ln in lines:
        if ln.truth is None or ln.kind not in ("count", "percent"):
            out.append(ln)
            continue
        previous = Decimal(rng.randint(0, 400))
        plan = Decimal(rng.randint(1, 400))
        ratio = (ln.truth / plan * 100).quantize(Decimal("0.1"))
        out.append(replace(ln, others={"plan": vn(plan), "previous": vn(previous),
                                       "ratio": vn(ratio)}))
    return out


# --- Word -------------------------------------------------------------------------------------

HEADINGS = {
    "stt": "STT", "label": "Chỉ tiêu thống kê", "unit": "Đơn vị tính",
    "value": "Kết quả thống kê", "note": "Ghi chú", "plan": "Kế hoạch năm",
    "previous": "Cùng kỳ năm trước", "ratio": "So sánh (%)",
}


@dataclass
class Layout:
    columns: list[str]  # column roles in order
    headings: dict[str, str] = field(default_factory=dict)
    merged_over: tuple[str, list[str]] | None = None  # ("Kết quả thực hiện", [prev, value])

    def heading(self, role: str) -> str:
        return self.headings.get(role, HEADINGS[role])


def _cell_text(line: Line, role: str) -> str:
    if role == "stt":
        return line.stt
    if role == "label":
        return line.label
    if role == "unit":
        return line.unit
    if role == "value":
        return line.value
    if role == "note":
        return ""
    return line.others.get(role, "")


def _word_table(document: docx.document.Document, lines: list[Line], layout: Layout,
                header: bool = True) -> None:
    rows = []
    if header and layout.merged_over:
        title, under = layout.merged_over
        top = [title if role == under[0] else "" if role in under else layout.heading(role)
               for role in layout.columns]
        rows.append(top)
        rows.append([layout.heading(role) if role in under else "" for role in layout.columns])
    elif header:
        rows.append([layout.heading(role) for role in layout.columns])
    body_start = len(rows)
    for line in lines:
        rows.append(["" for _ in layout.columns] if line.section else
                    [_cell_text(line, role) for role in layout.columns])
    table = document.add_table(rows=len(rows), cols=len(layout.columns))
    grid = [row.cells for row in table.rows]
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            if text:
                grid[r][c].paragraphs[0].add_run(text)
    if header and layout.merged_over:
        _, under = layout.merged_over
        first = layout.columns.index(under[0])
        grid[0][first].merge(grid[0][first + len(under) - 1])
        for c, role in enumerate(layout.columns):
            if role not in under:
                grid[0][c].merge(grid[1][c])
    for r, line in enumerate(lines, start=body_start):
        if line.section:
            grid[r][0].paragraphs[0].add_run(line.stt).bold = True
            merged = grid[r][1].merge(grid[r][len(layout.columns) - 1])
            merged.paragraphs[0].add_run(line.label).bold = True


def heading_paragraphs(document: docx.document.Document, *, number: str, day: str,
                       issuer: str, title: str, narrative: list[str]) -> None:
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = f"UBND TỈNH SÓC TRĂNG\n{issuer.upper()}\nSố: {number}"
    layout.cell(0, 1).text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                              f"Sóc Trăng, {day}")
    document.add_paragraph("BÁO CÁO").runs[0].bold = True
    document.add_paragraph(title)
    for text in narrative:
        document.add_paragraph(text)


def toc_table(document: docx.document.Document) -> None:
    document.add_paragraph("MỤC LỤC")
    table = document.add_table(rows=5, cols=3)
    for r, texts in enumerate([["TT", "Nội dung", "Trang"], ["1", "Kết quả đạt được", "1"],
                               ["2", "Tồn tại, hạn chế", "3"], ["3", "Phương hướng", "4"],
                               ["4", "Phụ lục số liệu", "5"]]):
        for c, text in enumerate(texts):
            table.cell(r, c).text = text


def task_table(document: docx.document.Document, rng: random.Random) -> None:
    document.add_paragraph("Kết quả thực hiện nhiệm vụ trọng tâm")
    tasks = ["Ban hành Kế hoạch CCHC năm", "Tổ chức hội nghị tập huấn", "Kiểm tra công vụ",
             "Tuyên truyền CCHC", "Rà soát thủ tục", "Cập nhật cổng thông tin"]
    table = document.add_table(rows=len(tasks) + 1, cols=3)
    for c, text in enumerate(["STT", "Nội dung công việc", "Kết quả thực hiện"]):
        table.cell(0, c).text = text
    for r, task in enumerate(tasks, start=1):
        table.cell(r, 0).text = str(r)
        table.cell(r, 1).text = task
        table.cell(r, 2).text = rng.choice(["Đã hoàn thành", "Đang thực hiện", "12"])


def save_docx(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def page_break(document: docx.document.Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def signatures(document: docx.document.Document) -> None:
    document.add_paragraph("Nơi nhận: Sở Nội vụ; Lưu: VT.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "NGƯỜI LẬP BIỂU", "GIÁM ĐỐC"


# --- Excel ------------------------------------------------------------------------------------

def sheet_rows(sheet: openpyxl.worksheet.worksheet.Worksheet, lines: list[Line], layout: Layout,
               top: int) -> None:
    for c, role in enumerate(layout.columns, start=1):
        sheet.cell(top, c, layout.heading(role))
    for r, line in enumerate(lines, start=top + 1):
        if line.section:
            sheet.cell(r, 1, line.stt)
            sheet.cell(r, 2, line.label)
            continue
        for c, role in enumerate(layout.columns, start=1):
            if role == "value" and line.number is not None:
                sheet.cell(r, c, line.number)
                continue
            text = _cell_text(line, role)
            if role == "stt" and text.isdigit():
                sheet.cell(r, c, int(text))
            elif text:
                sheet.cell(r, c, text)


def save_xlsx(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_excel_numbers(lines: list[Line], rng: random.Random, fractions: bool) -> list[Line]:
    """Counts stored as numbers; percent rows as Excel fractions in General format when asked."""
    out = []
    for ln in lines:
        if ln.truth is None:
            out.append(ln)
        elif ln.kind == "count" and rng.random() < 0.6:
            out.append(replace(ln, number=int(ln.truth)))
        elif ln.kind == "percent" and fractions and ln.truth not in (0, 100):
            out.append(replace(ln, number=float(ln.truth / 100 + Decimal("0.00007"))))
        else:
            out.append(ln)
    return out


# --- the files --------------------------------------------------------------------------------

STANDARD = Layout(["stt", "label", "unit", "value", "note"])


def _file_01(rng: random.Random) -> CorpusFile:
    """Word: table of contents first, heading with a cited report, plan and comparison columns."""
    lines = other_columns(with_values(rng, template_lines()), rng)
    document = docx.Document()
    heading_paragraphs(document, number="120/BC-SKHĐT", day="ngày 18 tháng 9 năm 2024",
                       issuer="Sở Kế hoạch và Đầu tư",
                       title="Kết quả thực hiện công tác CCHC quý III năm 2024",
                       narrative=["Tiếp theo Báo cáo số 102/BC-SKHĐT ngày 14/6/2024 của Sở Kế "
                                  "hoạch và Đầu tư, Sở báo cáo như sau:"])
    toc_table(document)
    page_break(document)
    document.add_paragraph("PHỤ LỤC: SỐ LIỆU THỐNG KÊ")
    _word_table(document, lines, Layout(["stt", "label", "unit", "plan", "value", "ratio",
                                         "note"]))
    signatures(document)
    return CorpusFile("01-toc-plan-ratio.docx", save_docx(document), "2024Q3", lines,
                      ["toc first", "cited report", "plan + ratio columns", "heading facts"])


def _file_02(rng: random.Random) -> CorpusFile:
    """Word: task table first, merged "Kết quả thực hiện" over two years, NFD text."""
    lines = nfd(other_columns(with_values(rng, template_lines()), rng))
    document = docx.Document()
    document.add_paragraph("Ban hành kèm theo Báo cáo số 45/BC-STP ngày 10/12/2024 của Sở "
                           "Kế hoạch và Đầu tư tỉnh Sóc Trăng")
    task_table(document, rng)
    document.add_paragraph("Bảng số liệu thống kê CCHC năm 2024")
    layout = Layout(["stt", "label", "unit", "previous", "value", "note"],
                    headings={"previous": "Năm 2023", "value": "Năm 2024"},
                    merged_over=("Kết quả thực hiện", ["previous", "value"]))
    _word_table(document, lines, layout)
    signatures(document)
    return CorpusFile("02-tasks-two-years-nfd.docx", save_docx(document), "2024", lines,
                      ["task table first", "merged header over two years", "NFD"])


def _file_03(rng: random.Random) -> CorpusFile:
    """Word: split after a page break, the continuation with one more column and its header."""
    lines = with_values(rng, template_lines())
    lines = numbering(lines, rng)
    document = docx.Document()
    document.add_paragraph("Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/3/2023 của Sở Kế "
                           "hoạch và Đầu tư tỉnh Sóc Trăng")
    cut = len(lines) // 2
    _word_table(document, lines[:cut], STANDARD)
    page_break(document)
    wider = Layout(["stt", "label", "unit", "value", "previous", "note"],
                   headings={"previous": "Cùng kỳ năm trước"})
    _word_table(document, [replace(ln, others={"previous": "7"}) for ln in lines[cut:]], wider)
    signatures(document)
    return CorpusFile("03-split-plus-one-numbered.docx", save_docx(document), "2023Q1", lines,
                      ["continuation +1 column with header", "numbering in labels"])


def _file_04(rng: random.Random) -> CorpusFile:
    """Word: continuation with one fewer column and no header; abbreviations written out."""
    lines = abbreviations(with_values(rng, template_lines()), rng)
    document = docx.Document()
    document.add_paragraph("Ban hành kèm theo Báo cáo số 30/BC-SKHĐT ngày 16/6/2023 của Sở Kế "
                           "hoạch và Đầu tư tỉnh Sóc Trăng")
    cut = len(lines) // 3
    _word_table(document, lines[:cut], STANDARD)
    page_break(document)
    _word_table(document, lines[cut:], Layout(["stt", "label", "unit", "value"]), header=False)
    signatures(document)
    return CorpusFile("04-split-minus-one-abbrev.docx", save_docx(document), "2023S1", lines,
                      ["continuation -1 column without header", "abbreviations written out"])


def _file_05(rng: random.Random) -> CorpusFile:
    """Word: values in words, notes dropped and added, a district's wording."""
    lines = with_values(rng, template_lines(), share=0.85)
    lines = district_wording(notes_dropped_and_added(words_as_values(lines, rng)))
    document = docx.Document()
    document.add_paragraph("Ban hành kèm theo Báo cáo số 99/BC-SKHĐT ngày 15/12/2023 của Sở Kế "
                           "hoạch và Đầu tư tỉnh Sóc Trăng")
    _word_table(document, lines, Layout(["stt", "label", "note", "unit", "value"]))
    return CorpusFile("05-words-notes-wording.docx", save_docx(document), "2023", lines,
                      ["values in words", "notes in parentheses", "district wording",
                       "note column before the value"])


def _file_06(rng: random.Random) -> CorpusFile:
    """Excel: an instructions sheet, a task sheet, the table; English numbers throughout."""
    lines = english_numbers(with_values(rng, template_lines(), big=0.3))
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active["A1"] = "Điền số liệu vào trang Số liệu."
    tasks = book.create_sheet("Nhiệm vụ")
    for c, text in enumerate(["STT", "Nội dung công việc", "Kết quả thực hiện"], start=1):
        tasks.cell(1, c, text)
    for r in range(2, 8):
        tasks.cell(r, 1, r - 1)
        tasks.cell(r, 2, f"Nhiệm vụ trọng tâm số {r - 1}")
        tasks.cell(r, 3, "Đã hoàn thành")
    sheet = book.create_sheet("Số liệu")
    sheet["A1"] = "Ban hành kèm theo Báo cáo số 12/BC-SKHĐT ngày 16/6/2024 của Sở Kế hoạch và " \
                  "Đầu tư tỉnh Sóc Trăng"
    sheet_rows(sheet, lines, Layout(["stt", "label", "unit", "value", "note"]), top=3)
    return CorpusFile("06-sheets-english-numbers.xlsx", save_xlsx(book), "2024S1", lines,
                      ["task sheet first", "English thousands separators", "English decimals"])


def _file_07(rng: random.Random) -> CorpusFile:
    """Excel: numbers stored as numbers, percent rows as fractions in General format, extra
    columns in another order (previous year first, ratio last)."""
    lines = other_columns(with_values(rng, template_lines()), rng)
    lines = as_excel_numbers(lines, rng, fractions=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Biểu 1"
    sheet["A1"] = "THỐNG KÊ KẾT QUẢ CCHC 6 THÁNG ĐẦU NĂM 2024"
    sheet["A2"] = "Ban hành kèm theo Báo cáo số 77/BC-SKHĐT ngày 17/6/2024 của Sở Kế hoạch và " \
                  "Đầu tư tỉnh Sóc Trăng"
    sheet_rows(sheet, lines, Layout(["stt", "label", "unit", "previous", "plan", "value",
                                     "ratio", "note"],
                                    headings={"value": "Thực hiện kỳ báo cáo"}), top=4)
    return CorpusFile("07-excel-fractions-columns.xlsx", save_xlsx(book), "2024S1", lines,
                      ["numbers as numbers", "Excel fractions in percent rows",
                       "previous + plan + ratio columns"])


def _file_08(rng: random.Random) -> CorpusFile:
    """Word: a title stating quarter III, imported as the 6-month report (wrong period), one
    ambiguous "2,000", and numbering plus NFD together."""
    lines = one_english_thousand(with_values(rng, template_lines()))
    lines = nfd(numbering(lines, rng))
    document = docx.Document()
    heading_paragraphs(document, number="140/BC-SKHĐT", day="ngày 16 tháng 9 năm 2024",
                       issuer="Sở Kế hoạch và Đầu tư",
                       title="Báo cáo kết quả thực hiện CCHC quý III năm 2024", narrative=[])
    _word_table(document, lines, STANDARD)
    return CorpusFile("08-wrong-period-2000.docx", save_docx(document), "2024S1", lines,
                      ["title states another period", "ambiguous 2,000", "numbering", "NFD"])


def _file_09(rng: random.Random) -> CorpusFile:
    """CSV with semicolons: merged-year header flattened to two header lines, abbreviations."""
    lines = abbreviations(with_values(rng, template_lines()), rng)
    lines = [replace(ln, others={"previous": str(rng.randint(0, 99))}) for ln in lines]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Ban hành kèm theo Báo cáo số 5/BC-SKHĐT ngày 20/3/2024 của Sở Kế hoạch và "
                     "Đầu tư tỉnh Sóc Trăng"])
    writer.writerow(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả thực hiện", "",
                     "Ghi chú"])
    writer.writerow(["", "", "", "Quý I năm 2023", "Quý I năm 2024", ""])
    for ln in lines:
        writer.writerow([ln.stt, ln.label, "", "", "", ""] if ln.section else
                        [ln.stt, ln.label, ln.unit, ln.others.get("previous", ""), ln.value, ""])
    return CorpusFile("09-csv-two-quarters.csv", ("\ufeff" + out.getvalue()).encode(), "2024Q1",
                      lines, ["two-line header over two years (CSV)", "abbreviations"])


def _file_10(rng: random.Random) -> CorpusFile:
    """Word: TOC first, split into three tables (+1 with header, then -1 without), values in
    words, numbering, merged two-year header."""
    lines = with_values(rng, template_lines(), share=0.8)
    lines = numbering(words_as_values(lines, rng), rng)
    lines = [replace(ln, others={"previous": str(rng.randint(0, 50))}) for ln in lines]
    document = docx.Document()
    document.add_paragraph("Ban hành kèm theo Báo cáo số 210/BC-SKHĐT ngày 15/12/2024 của Sở "
                           "Kế hoạch và Đầu tư tỉnh Sóc Trăng")
    toc_table(document)
    page_break(document)
    layout = Layout(["stt", "label", "unit", "previous", "value", "note"],
                    headings={"previous": "Năm 2023", "value": "Năm 2024"},
                    merged_over=("Kết quả thực hiện", ["previous", "value"]))
    first, second = len(lines) // 3, 2 * len(lines) // 3
    _word_table(document, lines[:first], layout)
    page_break(document)
    wider = Layout(["stt", "label", "unit", "previous", "value", "plan", "note"],
                   headings={"previous": "Năm 2023", "value": "Năm 2024", "plan": "Kế hoạch"})
    _word_table(document, [replace(ln, others={**ln.others, "plan": "9"})
                           for ln in lines[first:second]], wider)
    page_break(document)
    _word_table(document, lines[second:], Layout(["stt", "label", "unit", "previous", "value"]),
                header=False)
    signatures(document)
    return CorpusFile("10-three-parts-words.docx", save_docx(document), "2024", lines,
                      ["toc first", "continuations +1 and -1", "merged two-year header",
                       "values in words", "numbering"])


def _file_11(rng: random.Random) -> CorpusFile:
    """Excel: the table twice — last year's sheet first, then this year's (each sheet names
    its year in the value header), abbreviations."""
    lines = abbreviations(with_values(rng, template_lines()), rng)
    old = with_values(random.Random(rng.random()), template_lines())
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Năm 2023"
    sheet_rows(first, old, Layout(["stt", "label", "unit", "value"],
                                  headings={"value": "Kết quả năm 2023"}), top=2)
    second = book.create_sheet("Năm 2024")
    second["A1"] = "Ban hành kèm theo Báo cáo số 8/BC-SKHĐT ngày 16/12/2024 của Sở Kế hoạch " \
                   "và Đầu tư tỉnh Sóc Trăng"
    sheet_rows(second, lines, Layout(["stt", "label", "unit", "value"],
                                     headings={"value": "Kết quả năm 2024"}), top=2)
    return CorpusFile("11-two-sheets-two-years.xlsx", save_xlsx(book), "2024", lines,
                      ["two look-alike sheets (a question)", "abbreviations"])


def unaccented_and_reworded(lines: list[Line], rng: random.Random) -> list[Line]:
    """Section III typed without diacritics; every seventh row reworded (a word added)."""
    out, section = [], ""
    for index, ln in enumerate(lines):
        if ln.section:
            section = ln.stt
        elif section == "III":
            bare = unicodedata.normalize("NFD", ln.label.replace("đ", "d").replace("Đ", "D"))
            ln = replace(ln, label="".join(ch for ch in bare if not unicodedata.combining(ch)))
        elif index % 7 == 0:
            ln = replace(ln, label=f"{ln.label.rstrip(':')} trong kỳ báo cáo của đơn vị")
        out.append(ln)
    return out


def _file_12(rng: random.Random) -> CorpusFile:
    """Excel: labels without diacritics in one section, others reworded (proposals), the
    heading "Số:" line with a narrative citing another report above the table."""
    lines = unaccented_and_reworded(with_values(rng, template_lines()), rng)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "BC"
    sheet["A1"] = "UBND TỈNH SÓC TRĂNG SỞ KẾ HOẠCH VÀ ĐẦU TƯ Số: 88/BC-SKHĐT"
    sheet["A2"] = "Sóc Trăng, ngày 15 tháng 3 năm 2024"
    sheet["A3"] = "Căn cứ Báo cáo số 7/BC-UBND ngày 2/1/2024 của UBND tỉnh"
    sheet_rows(sheet, lines, STANDARD, top=5)
    return CorpusFile("12-unaccented-reworded.xlsx", save_xlsx(book), "2024Q1", lines,
                      ["labels without diacritics", "reworded labels (proposals)",
                       "heading number line", "cited report"])


def _file_13(rng: random.Random) -> CorpusFile:
    """Excel: a merged two-level header ("Kết quả thực hiện" over "6 tháng năm 2023 | 6 tháng
    năm 2024") after a plan column, NFD labels, values in words, ticks."""
    lines = other_columns(with_values(rng, template_lines(), share=0.8), rng)
    lines = nfd(words_as_values(lines, rng))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    sheet["A1"] = "Ban hành kèm theo Báo cáo số 61/BC-SKHĐT ngày 17/6/2024 của Sở Kế hoạch và " \
                  "Đầu tư tỉnh Sóc Trăng"
    roles = ["stt", "label", "unit", "plan", "previous", "value", "note"]
    top = {"stt": "STT", "label": "Chỉ tiêu thống kê", "unit": "Đơn vị tính",
           "plan": "Kế hoạch năm 2024", "previous": "Kết quả thực hiện", "note": "Ghi chú"}
    for c, role in enumerate(roles, start=1):
        if role in top:
            sheet.cell(3, c, top[role])
        if role not in ("previous", "value"):
            sheet.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    sheet.merge_cells(start_row=3, start_column=5, end_row=3, end_column=6)
    sheet.cell(4, 5, "6 tháng năm 2023")
    sheet.cell(4, 6, "6 tháng năm 2024")
    for r, line in enumerate(lines, start=5):
        if line.section:
            sheet.cell(r, 1, line.stt)
            sheet.cell(r, 2, line.label)
            continue
        for c, role in enumerate(roles, start=1):
            text = _cell_text(line, role)
            if text:
                sheet.cell(r, c, text)
    return CorpusFile("13-excel-merged-years.xlsx", save_xlsx(book), "2024S1", lines,
                      ["merged two-level header (Excel)", "plan column first", "NFD",
                       "values in words"])


def _file_14(rng: random.Random) -> CorpusFile:
    """Word: the table cut by a heading "BẢNG 1 (tiếp theo)", its second part with its own
    header in other words and columns in another order; English thousands nowhere, one
    abbreviation per label."""
    lines = abbreviations(with_values(rng, template_lines()), rng)
    document = docx.Document()
    document.add_paragraph("Ban hành kèm theo Báo cáo số 15/BC-SKHĐT ngày 15/12/2023 của Sở Kế "
                           "hoạch và Đầu tư tỉnh Sóc Trăng")
    cut = 2 * len(lines) // 5
    while not lines[cut].section:  # cut at a section, as a person does
        cut += 1
    _word_table(document, lines[:cut], STANDARD)
    document.add_paragraph("BẢNG 1 (tiếp theo)")
    _word_table(document, lines[cut:], Layout(["stt", "label", "value", "unit"], headings={
        "label": "Nội dung chỉ tiêu", "value": "Số liệu năm 2023", "unit": "ĐVT"}))
    signatures(document)
    return CorpusFile("14-cut-by-a-heading.docx", save_docx(document), "2023", lines,
                      ["table cut by a heading (tiếp theo)", "second part with its own header",
                       "columns reordered", "abbreviations"])


BUILDERS: list[Callable[[random.Random], CorpusFile]] = [
    _file_01, _file_02, _file_03, _file_04, _file_05, _file_06, _file_07, _file_08, _file_09,
    _file_10, _file_11, _file_12, _file_13, _file_14,
]


def corpus(seed: int = 9) -> list[CorpusFile]:
    """Every file of the corpus, each from its own generator (seeded: the same files each run)."""
    return [build(random.Random(seed * 100 + n)) for n, build in enumerate(BUILDERS)]
