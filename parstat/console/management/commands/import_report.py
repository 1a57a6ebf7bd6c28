from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.console.output import actor_from, add_actor_argument, dumps, user_errors
from parstat.errors import ParstatError
from parstat.imports.matcher import THRESHOLD
from parstat.imports.service import ImportChoices, ImportReport, ImportRequest, run_import


def confirmation(text: str) -> tuple[int, str]:
    row, _, code = text.partition("=")
    if not row.strip().isdigit():
        raise ValueError(text)
    return int(row), code.strip()


class Command(BaseCommand):
    help = ("Import one report file (.docx, .xlsx, .csv or the tab-separated text of a Word "
            "table) into a report.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--unit", help="unit code (see `parstat units`); default: the unit "
                                           "the document's header names")
        parser.add_argument("--period", help="2023Q1, 2023S1, 2023Q3 or 2023; default: the "
                                             "period whose window closed before the report date")
        parser.add_argument("--template", help="template code (default: the unit's)")
        parser.add_argument("--confirm", action="append", type=confirmation, default=[],
                            metavar="ROW=CODE",
                            help="apply a proposed match (file row = indicator code); "
                                 "ROW= alone leaves the row unmatched; repeatable")
        parser.add_argument("--table", type=int, metavar="N",
                            help="read the file's N-th candidate table (as listed when the "
                                 "import asks); default: the one matching most template labels")
        parser.add_argument("--value-column", type=int, metavar="N",
                            help="read the values from the table's column N (counted from 1); "
                                 "default: the column of the report's period")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; store nothing")
        parser.add_argument("--strict", action="store_true",
                            help="store nothing when any value is not valid")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        add_actor_argument(parser)

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            result = run_import(ImportRequest.from_path(
                path, unit_code=options["unit"], period_code=options["period"],
                template_code=options["template"], dry_run=options["dry_run"],
                strict=options["strict"], confirm=dict(options["confirm"]),
                choices=ImportChoices(table=options["table"],
                                      value_column=options["value_column"]),
                acting_user=actor_from(options)))
        except ParstatError as error:
            if options["json"]:  # a refused file says so in JSON too: code, vi and en
                self.stdout.write(dumps({"file": path.name, "error": error.as_dict()}))
            raise
        if options["json"]:
            self.stdout.write(dumps(result.as_dict()))
        else:
            self._print(result)
        if result.questions:
            raise CommandError(result.questions[0]["message"])
        if result.conflicts:
            raise CommandError(f"{len(result.conflicts)} giá trị không hợp lệ không được lưu.")

    def _print(self, result: ImportReport) -> None:
        data = result.as_dict()
        s = data["summary"]
        head = "THỬ (không lưu): " if result.dry_run else ""
        self.stdout.write(f"{head}{result.file} → đơn vị {result.unit}, kỳ {result.period}, "
                          f"biểu mẫu {result.template}")
        self._print_document(result)
        self._print_choices(data)
        self.stdout.write(f"Mới: {s['imported']} · Cập nhật: {s['updated']} · Không đổi: "
                          f"{s['unchanged']} · Dòng khớp: {s['matched']} · Dòng không khớp: "
                          f"{s['unmatched']} · Chỉ tiêu thiếu trong tệp: {s['missing']}")
        for match in data["matched"]:
            if match["method"] != "exact":
                self.stdout.write(f"  Khớp gần đúng ({match['score']}), dòng {match['row']}: "
                                  f"{match['file_label']} → {match['code']} {match['label']}")
        proposed = {p["row"]: p for p in data["proposals"]}
        for row in data["unmatched"]:
            self.stdout.write(f"  Không khớp, dòng {row['row']} (phần {row['section'] or '?'}): "
                              f"{row['file_label']} = «{row['value']}»")
            if row["row"] in proposed:
                p = proposed[row["row"]]
                self.stdout.write(f"    gợi ý ({p['score']} < {THRESHOLD}): {p['code']} "
                                  f"{p['label']} — dùng --confirm {p['row']}={p['code']}")
        for change in (c for c in data["changes"] if c["old"]):  # new values are counted above
            # A value cleared says so: «» would read as an empty text, and a blank is none.
            new = f"«{change['new']}»" if change["new"] else "(trống)"
            self.stdout.write(f"  Đổi, dòng {change['row']}: {change['code']} "
                              f"«{change['old']}» → {new}")
        for conflict in data["conflicts"]:
            self.stdout.write(self.style.ERROR(f"  [{conflict['error']}] {conflict['message']}"
                                               f" (cần: {conflict['expected']})"))
        self.stdout.write(f"Kiểm tra: {s['errors']} lỗi, {s['warnings']} cảnh báo")
        for finding in data["findings"]:
            mark = "LỖI" if finding["severity"] == "error" else "Cảnh báo"
            self.stdout.write(f"  {mark} {finding['rule']}: {finding['message']}")

    def _print_document(self, result: ImportReport) -> None:
        document, proposed = result.document, result.proposed
        if document.number and document.issued_on:
            self.stdout.write(f"Văn bản: Báo cáo số {document.number}"
                              f" ngày {document.issued_on:%d/%m/%Y} của {document.issuer}")
        if proposed.unit_from != "option" and proposed.unit:
            self.stdout.write(f"Đơn vị lấy từ tiêu đề văn bản: {proposed.unit.code} "
                              f"{proposed.unit.name} (độ khớp {proposed.unit.score})")
        if proposed.period_from != "option":
            self.stdout.write(f"Kỳ báo cáo suy từ ngày văn bản: {result.period}")

    def _print_choices(self, data: dict[str, Any]) -> None:
        table, column = data["table"], data["value_column"]
        if table.get("table"):
            self.stdout.write(f"Bảng đã đọc: {table['reason']}")
        if column.get("column"):
            self.stdout.write(f"Cột số liệu: cột {column['column']} «{column['header']}» "
                              f"({column['reason']})")
        for question in data["questions"]:
            self.stdout.write(self.style.WARNING(f"  CẦN CHỌN [{question['code']}] "
                                                 f"{question['message']}"))
        for warning in data["warnings"]:
            self.stdout.write(self.style.WARNING(f"  Cảnh báo [{warning['code']}] "
                                                 f"{warning['message']}"))
        for note in data["notes"]:
            self.stdout.write(f"  Ghi nhận [{note['code']}] {note['message']}")
        if data["apply_refused"]:
            self.stdout.write(self.style.ERROR(f"  [{data['apply_refused']['code']}] "
                                               f"{data['apply_refused']['message']}"))
