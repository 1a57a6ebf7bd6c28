"""Errors a user can cause: a stable machine code and a message in Vietnamese (English beside it).

Every such error is raised as :class:`ParstatError` and turned into a form error, a JSON error or
a CLI message at the edge. The catalogue below is the one place where codes and wording live, so
that the API, the pages and the command line always say the same thing.
"""

from __future__ import annotations

from typing import Any

# code -> (Vietnamese, English). Placeholders are str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "number.invalid": (
        "Không đọc được số «{text}»: hãy viết số theo kiểu Việt Nam, ví dụ 1.327 hoặc 32,5.",
        "Cannot read «{text}» as a number: write it the Vietnamese way, e.g. 1.327 or 32,5.",
    ),
    "number.ambiguous": (
        "Số «{text}» không rõ nghĩa: dấu chấm dùng để phân cách hàng nghìn (1.327), "
        "dấu phẩy để ghi phần thập phân (32,5).",
        "«{text}» is ambiguous: a dot groups thousands (1.327), a comma marks decimals (32,5).",
    ),
    "value.not_integer": (
        "Chỉ tiêu {code} ({label}) là số đếm: «{text}» không phải số nguyên.",
        "Indicator {code} ({label}) is a count: «{text}» is not a whole number.",
    ),
    "value.negative": (
        "Chỉ tiêu {code} ({label}) không nhận số âm: «{text}».",
        "Indicator {code} ({label}) takes no negative number: «{text}».",
    ),
    "value.percent_range": (
        "Chỉ tiêu {code} ({label}) là tỷ lệ phần trăm, phải từ 0 đến 100: «{text}».",
        "Indicator {code} ({label}) is a percentage and must lie within 0–100: «{text}».",
    ),
    "value.not_in_choices": (
        "Chỉ tiêu {code} ({label}) chỉ nhận {choices}: «{text}» không thuộc danh sách.",
        "Indicator {code} ({label}) accepts only {choices}: «{text}» is not one of them.",
    ),
    "value.too_long": (
        "Nội dung của chỉ tiêu {code} dài quá {limit} ký tự.",
        "The text of indicator {code} is longer than {limit} characters.",
    ),
    "value.unknown_indicator": (
        "Biểu mẫu {template} không có chỉ tiêu mã {code}.",
        "Template {template} has no indicator with code {code}.",
    ),
    "expression.syntax": (
        "Công thức «{text}» sai cú pháp ở vị trí {column}: {reason}",
        "Formula «{text}» has a syntax error at column {column}: {reason}",
    ),
    "expression.unknown_function": (
        "Công thức «{text}» dùng hàm không được phép: {name}.",
        "Formula «{text}» uses a function that is not allowed: {name}.",
    ),
    "expression.bad_arity": (
        "Hàm {name} trong công thức «{text}» cần {expected} đối số, nhận {got}.",
        "Function {name} in «{text}» takes {expected} arguments, got {got}.",
    ),
    "template.invalid": (
        "Biểu mẫu {template}, {where}: {reason}",
        "Template {template}, {where}: {reason}",
    ),
    "template.not_found": (
        "Không có biểu mẫu mã {code}.",
        "There is no template with code {code}.",
    ),
    "template.in_use": (
        "Không thể bỏ chỉ tiêu {code} khỏi biểu mẫu {template}: đã có {count} giá trị hoặc lịch sử thay đổi.",
        "Cannot drop indicator {code} from template {template}: {count} values or audit rows refer to it.",
    ),
    "unit.not_found": (
        "Không có đơn vị mã {code}. Dùng lệnh «parstat units» để xem danh sách mã đơn vị.",
        "There is no unit with code {code}. Run «parstat units» to list unit codes.",
    ),
    "unit.no_template": (
        "Đơn vị {code} (loại {kind}) không có biểu mẫu báo cáo nào; hãy chỉ rõ --template.",
        "Unit {code} (kind {kind}) has no report template; name one with --template.",
    ),
    "period.invalid": (
        "Kỳ báo cáo «{text}» không hợp lệ: dùng dạng 2023Q1, 2023S1, 2023Q3 hoặc 2023.",
        "Report period «{text}» is not valid: use 2023Q1, 2023S1, 2023Q3 or 2023.",
    ),
    "report.not_found": (
        "Chưa có báo cáo của đơn vị {unit} kỳ {period}.",
        "There is no report of unit {unit} for period {period}.",
    ),
    "import.unreadable": (
        "Không đọc được tệp {name}: {reason}",
        "Cannot read file {name}: {reason}",
    ),
    "import.no_table": (
        "Tệp {name} không chứa bảng chỉ tiêu (cần các cột STT, Chỉ tiêu thống kê, Đơn vị tính, "
        "Kết quả).",
        "File {name} holds no indicator table (expected columns STT, Chỉ tiêu thống kê, "
        "Đơn vị tính, Kết quả).",
    ),
    "import.conflicts": (
        "Có {count} giá trị không hợp lệ; không giá trị nào được lưu (chế độ --strict).",
        "{count} values are not valid; nothing was stored (--strict).",
    ),
}


class ParstatError(Exception):
    """An error the user can cause and fix, with a stable ``code``.

    ``row`` is the line of the file (or position in a request) the error is about, and
    ``indicator`` the indicator code, when there are such; both lead the message.
    """

    def __init__(self, code: str, /, *, row: int | None = None, indicator: str | None = None,
                 **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown error code {code!r}")
        self.code = code
        self.row = row
        self.indicator = indicator
        self.params = params
        super().__init__(self.message)

    def located(self, *, row: int | None, indicator: str | None) -> ParstatError:
        """The same error, said of a given row and indicator."""
        return ParstatError(self.code, row=row, indicator=indicator, **self.params)

    def _render(self, index: int) -> str:
        text = MESSAGES[self.code][index].format(**self.params)
        where = []
        if self.row is not None:
            where.append(("Dòng {}", "Row {}")[index].format(self.row))
        if self.indicator is not None and f"{self.indicator} " not in text:
            where.append(("chỉ tiêu {}", "indicator {}")[index].format(self.indicator))
        return f"{', '.join(where)}: {text}" if where else text

    @property
    def message(self) -> str:
        return self._render(0)

    @property
    def message_en(self) -> str:
        return self._render(1)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row, "indicator": self.indicator,
                "message": self.message, "message_en": self.message_en}
