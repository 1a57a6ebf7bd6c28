"""Errors a user can cause: a stable machine code and a message said in the reader's language.

Every such error is raised as :class:`ParstatError` and turned into a form error, a JSON error or
a CLI message at the edge. The catalogue below is the one place where codes and wording live, so
that the API, the pages and the command line always say the same thing.

Each message is a gettext string in Vietnamese whose context is its code (two codes with the same
Vietnamese text stay apart); its English lives in ``parstat/locale/en/LC_MESSAGES/django.po``.
A parameter that names one of :data:`TERMS` (``reason="confirm.no_row"``,
``attribute="number"``, ``action="edit"``), a report state (``state="submitted"``) or a unit
kind (``kind="district"``) is said in the message's language too, so an English message never
carries a Vietnamese fragment; any other value (a label, a file name, a foreign server's answer)
is data and is shown as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# code -> message. Placeholders are str.format fields.
MESSAGES: dict[str, Promise] = {
    "number.invalid": pgettext_lazy(
        "number.invalid",
        "Không đọc được số «{text}»: hãy viết số theo kiểu Việt Nam, ví dụ 1.327 hoặc 32,5.",
    ),
    "number.ambiguous": pgettext_lazy(
        "number.ambiguous",
        "Số «{text}» không rõ nghĩa: dấu chấm dùng để phân cách hàng nghìn (1.327), "
        "dấu phẩy để ghi phần thập phân (32,5).",
    ),
    "value.not_integer": pgettext_lazy(
        "value.not_integer",
        "Chỉ tiêu {code} ({label}) là số đếm: «{text}» không phải số nguyên.",
    ),
    "value.negative": pgettext_lazy(
        "value.negative",
        "Chỉ tiêu {code} ({label}) không nhận số âm: «{text}».",
    ),
    "value.percent_range": pgettext_lazy(
        "value.percent_range",
        "Chỉ tiêu {code} ({label}) là tỷ lệ phần trăm, phải từ 0 đến 100: «{text}».",
    ),
    "value.not_in_choices": pgettext_lazy(
        "value.not_in_choices",
        "Chỉ tiêu {code} ({label}) chỉ nhận {choices}: «{text}» không thuộc danh sách.",
    ),
    "value.thousands_comma": pgettext_lazy(
        "value.thousands_comma",
        "Chỉ tiêu {code} ({label}) là số đếm: «{text}» không rõ là số thập phân hay số có dấu "
        "phẩy ngăn cách hàng nghìn; hãy viết {plain} hoặc theo kiểu Việt Nam (dấu chấm ngăn "
        "cách hàng nghìn, ví dụ 2.000 hoặc 2000).",
    ),
    "value.percent_fraction": pgettext_lazy(
        "value.percent_fraction",
        "Chỉ tiêu {code} ({label}) là tỷ lệ phần trăm: «{text}» trông như một phân số của "
        "Excel (tức {shown} %) chứ không phải {text} %; hãy ghi tỷ lệ theo phần trăm (ví dụ "
        "{shown}) hoặc định dạng ô là phần trăm.",
    ),
    "value.words_unclear": pgettext_lazy(
        "value.words_unclear",
        "Chỉ tiêu {code} ({label}) nhận {expected}: không đọc được «{text}» ({reason}); hãy ghi "
        "đúng một giá trị như vậy.",
    ),
    "value.too_long": pgettext_lazy(
        "value.too_long",
        "Nội dung của chỉ tiêu {code} dài quá {limit} ký tự.",
    ),
    "value.not_applicable": pgettext_lazy(
        "value.not_applicable",
        "Chỉ tiêu {code} ({label}) không áp dụng cho đơn vị loại «{kind}»: không nhận giá trị.",
    ),
    "value.unknown_indicator": pgettext_lazy(
        "value.unknown_indicator",
        "Biểu mẫu {template} không có chỉ tiêu mã {code}.",
    ),
    "expression.syntax": pgettext_lazy(
        "expression.syntax",
        "Công thức «{text}» sai cú pháp ở vị trí {column}: {reason}",
    ),
    "expression.unknown_function": pgettext_lazy(
        "expression.unknown_function",
        "Công thức «{text}» dùng hàm không được phép: {name}.",
    ),
    "expression.bad_arity": pgettext_lazy(
        "expression.bad_arity",
        "Hàm {name} trong công thức «{text}» cần {expected} đối số, nhận {got}.",
    ),
    "template.invalid": pgettext_lazy(
        "template.invalid",
        "Biểu mẫu {template}, {where}: {reason}",
    ),
    "template.not_found": pgettext_lazy(
        "template.not_found",
        "Không có biểu mẫu mã {code}.",
    ),
    "template.in_use": pgettext_lazy(
        "template.in_use",
        "Không thể bỏ chỉ tiêu {code} khỏi biểu mẫu {template}: đã có {count} giá trị hoặc lịch sử thay đổi.",
    ),
    "template.edition_in_use": pgettext_lazy(
        "template.edition_in_use",
        "Ấn bản {template} đã có báo cáo: chỉ được đính chính câu chữ (tên, đơn vị tính, ghi "
        "chú), không được đổi chỉ tiêu {code}. Hãy lập ấn bản mới (previous: {template}).",
    ),
    "unit.not_found": pgettext_lazy(
        "unit.not_found",
        "Không có đơn vị mã {code}. Dùng lệnh «parstat units» để xem danh sách mã đơn vị.",
    ),
    "unit.no_template": pgettext_lazy(
        "unit.no_template",
        "Đơn vị {code} (loại {kind}) không có biểu mẫu báo cáo nào; hãy chỉ rõ --template.",
    ),
    "period.invalid": pgettext_lazy(
        "period.invalid",
        "Kỳ báo cáo «{text}» không hợp lệ: dùng dạng 2023Q1, 2023S1, 2023Q3 hoặc 2023.",
    ),
    "push.unreachable": pgettext_lazy(
        "push.unreachable",
        "Không kết nối được máy chủ nhận số liệu {url}: {reason}.",
    ),
    "push.refused": pgettext_lazy(
        "push.refused",
        "Máy chủ {url} từ chối (mã {status}): {reason}",
    ),
    "push.bad_answer": pgettext_lazy(
        "push.bad_answer",
        "Máy chủ {url} không trả về bản tóm tắt nhập số liệu (importCount): {reason}",
    ),
    "push.conflicts": pgettext_lazy(
        "push.conflicts",
        "Lần chạy thử trên {url} có {count} xung đột, nên chưa gửi thật: {conflicts}",
    ),
    "push.not_configured": pgettext_lazy(
        "push.not_configured",
        "Chưa cấu hình máy chủ nhận số liệu: đặt PARSTAT_DHIS2_URL (và PARSTAT_DHIS2_TOKEN) "
        "hoặc dùng --url.",
    ),
    "report.not_found": pgettext_lazy(
        "report.not_found",
        "Chưa có báo cáo của đơn vị {unit} kỳ {period}.",
    ),
    "report.locked": pgettext_lazy(
        "report.locked",
        "Báo cáo của {unit} kỳ {period} đang ở trạng thái «{state}»: không thể sửa số liệu.",
    ),
    "report.stale": pgettext_lazy(
        "report.stale",
        "Báo cáo đã được {actor} thay đổi trong lúc anh/chị sửa (phiên bản {expected} → {current}): "
        "{changes}. Xem các thay đổi đó, rồi giữ số liệu đã lưu hoặc lưu lại số của anh/chị.",
    ),
    "workflow.bad_state": pgettext_lazy(
        "workflow.bad_state",
        "Không thể {action} báo cáo đang ở trạng thái «{state}».",
    ),
    "workflow.has_errors": pgettext_lazy(
        "workflow.has_errors",
        "Chưa thể gửi: báo cáo còn {count} lỗi ({rules}). Hãy sửa số liệu trước khi gửi.",
    ),
    "workflow.explain_warnings": pgettext_lazy(
        "workflow.explain_warnings",
        "Báo cáo có {count} cảnh báo ({rules}): hãy ghi ngắn gọn lý do trước khi gửi.",
    ),
    "workflow.reason_required": pgettext_lazy(
        "workflow.reason_required",
        "Hãy ghi lý do {action}.",
    ),
    "narrative.unknown_key": pgettext_lazy(
        "narrative.unknown_key",
        "Báo cáo không có mục «{key}» trong đề cương của bảng {family}.",
    ),
    "narrative.unknown_figure": pgettext_lazy(
        "narrative.unknown_figure",
        "Mục «{heading}»: không có chỉ tiêu mã {code} trong biểu mẫu {template}, nên không chèn "
        "được số liệu {{{{{code}}}}}.",
    ),
    "narrative.too_long": pgettext_lazy(
        "narrative.too_long",
        "Mục «{heading}» dài {length} ký tự, quá giới hạn {limit} ký tự.",
    ),
    "narrative.control_character": pgettext_lazy(
        "narrative.control_character",
        "Mục «{heading}» chứa ký tự điều khiển {char} không in được.",
    ),
    "narrative.stale": pgettext_lazy(
        "narrative.stale",
        "Mục «{heading}» đã được {actor} sửa trong lúc anh/chị soạn (phiên bản {expected} → "
        "{current}); nội dung hiện tại: «{current_text}».",
    ),
    "narrative.locked": pgettext_lazy(
        "narrative.locked",
        "Báo cáo của {unit} kỳ {period} đang ở trạng thái «{state}»: không thể sửa phần lời.",
    ),
    "province.bad_state": pgettext_lazy(
        "province.bad_state",
        "Không thể {action} báo cáo của {unit} kỳ {period} đang ở trạng thái «{province_state}».",
    ),
    "province.locked": pgettext_lazy(
        "province.locked",
        "Báo cáo của {unit} kỳ {period} đang ở trạng thái «{province_state}»: không thể sửa; hãy "
        "mở lại (ghi lý do) trước khi sửa.",
    ),
    "province.nothing_counted": pgettext_lazy(
        "province.nothing_counted",
        "Chưa thể trình: chưa có báo cáo đã tiếp nhận nào của các đơn vị thuộc {unit} kỳ {period}.",
    ),
    "province.not_approved": pgettext_lazy(
        "province.not_approved",
        "Báo cáo của {unit} kỳ {period} chưa được lãnh đạo tỉnh duyệt: chưa có số liệu để gửi.",
    ),
    "province.drifted": pgettext_lazy(
        "province.drifted",
        "Báo cáo của {unit} kỳ {period} không còn khớp với số liệu lãnh đạo tỉnh đã duyệt "
        "({changes}): không thể lập gói gửi đi vì các tài liệu sẽ in theo số liệu hiện tại; hãy "
        "mở lại báo cáo của tỉnh (ghi lý do), trình và duyệt lại.",
    ),
    "province.no_report": pgettext_lazy(
        "province.no_report",
        "{unit} chưa có báo cáo của tỉnh kỳ {period}.",
    ),
    "province.not_sent": pgettext_lazy(
        "province.not_sent",
        "Báo cáo của {unit} kỳ {period} chưa được gửi lên: chưa có gói đã gửi để gửi lại; hãy "
        "gửi báo cáo (ghi số và ngày văn bản) trước.",
    ),
    "package.unreadable": pgettext_lazy(
        "package.unreadable",
        "Không đọc được gói số liệu {name}: {reason}",
    ),
    "package.hash_mismatch": pgettext_lazy(
        "package.hash_mismatch",
        "Gói số liệu {name} bị từ chối: tệp «{member}» không khớp với bảng kê (manifest.json) "
        "({reason}); gói có thể đã bị sửa hoặc hỏng trên đường gửi.",
    ),
    "package.invalid": pgettext_lazy(
        "package.invalid",
        "Gói số liệu {name}: package.json không đúng lược đồ công bố ({count} lỗi; đầu tiên: "
        "{first}).",
    ),
    "package.unknown_template": pgettext_lazy(
        "package.unknown_template",
        "Gói số liệu của {province} kỳ {period} dùng biểu mẫu {template} (ấn bản {edition}), "
        "hệ thống nhận không có biểu mẫu này{found}.",
    ),
    "package.unknown_indicator": pgettext_lazy(
        "package.unknown_indicator",
        "Gói số liệu của {province} kỳ {period}: biểu mẫu {template} của hệ thống nhận không có "
        "chỉ tiêu {codes}; không lưu gì.",
    ),
    "package.value_unstorable": pgettext_lazy(
        "package.value_unstorable",
        "Gói số liệu của {province} kỳ {period}: giá trị {value} của chỉ tiêu {code} vượt quá "
        "số chữ số lưu được chính xác ({digits} chữ số, {decimals} chữ số thập phân); không lưu "
        "gì.",
    ),
    "package.conflict": pgettext_lazy(
        "package.conflict",
        "Đã nhận một gói khác của {province} kỳ {period}, biểu mẫu {template}, cùng phiên bản "
        "{version} (nhận lúc {received_at}); gói này bị từ chối, không lưu gì. Một bản sửa phải "
        "mang phiên bản mới hơn.",
    ),
    "package.outdated": pgettext_lazy(
        "package.outdated",
        "Gói số liệu của {province} kỳ {period} là phiên bản {version}, cũ hơn phiên bản "
        "{current} đã nhận; không lưu gì.",
    ),
    "package.receive_denied": pgettext_lazy(
        "package.receive_denied",
        "Anh/chị không có quyền nhận gói số liệu của các tỉnh: chỉ quản trị viên hoặc cán bộ "
        "tổng hợp của đơn vị cấp cao nhất của hệ thống này được nhận.",
    ),
    "package.read_denied": pgettext_lazy(
        "package.read_denied",
        "Anh/chị không có quyền xem số liệu các tỉnh đã gửi lên.",
    ),
    "package.send_failed": pgettext_lazy(
        "package.send_failed",
        "Không gửi được gói số liệu tới {url}: {reason}",
    ),
    "document.date_invalid": pgettext_lazy(
        "document.date_invalid",
        "Ngày văn bản «{text}» không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 17/03/2023.",
    ),
    "permission.denied": pgettext_lazy(
        "permission.denied",
        "Anh/chị không có quyền {action} báo cáo này.",
    ),
    "import.unreadable": pgettext_lazy(
        "import.unreadable",
        "Không đọc được tệp {name}: {reason}",
    ),
    "import.no_table": pgettext_lazy(
        "import.no_table",
        "Tệp {name} không chứa bảng chỉ tiêu (cần các cột STT, Chỉ tiêu thống kê, Đơn vị tính, "
        "Kết quả).",
    ),
    "import.conflicts": pgettext_lazy(
        "import.conflicts",
        "Có {count} giá trị không hợp lệ; không giá trị nào được lưu (chế độ --strict).",
    ),
    "import.too_large": pgettext_lazy(
        "import.too_large",
        "Tệp {name} nặng {size} MB, vượt giới hạn {limit} MB. Hãy để bảng chỉ tiêu trong một "
        "tệp riêng (bỏ hình ảnh, trang phụ) rồi nhập lại.",
    ),
    "import.too_many_parts": pgettext_lazy(
        "import.too_many_parts",
        "Tệp {name} gồm {count} phần nén, vượt giới hạn {limit}; tệp bị từ chối.",
    ),
    "import.zip_bomb": pgettext_lazy(
        "import.zip_bomb",
        "Tệp {name} bị từ chối vì giải nén ra quá lớn ({reason}); có thể là tệp độc hại. Hãy mở "
        "tệp bằng Word/Excel, lưu lại rồi nhập lại.",
    ),
    "import.unsafe_xml": pgettext_lazy(
        "import.unsafe_xml",
        "Tệp {name} bị từ chối: phần {member} có khai báo DTD hoặc thực thể XML, điều Word/Excel "
        "không bao giờ ghi; có thể là tệp độc hại. Hãy mở bằng Word/Excel và lưu lại.",
    ),
    "import.unsafe_path": pgettext_lazy(
        "import.unsafe_path",
        "Tệp nén {name} bị từ chối: đường dẫn «{member}» trỏ ra ngoài thư mục giải nén. Hãy nén "
        "lại các tệp báo cáo trong một thư mục thông thường.",
    ),
    "import.macro": pgettext_lazy(
        "import.macro",
        "Tệp {name} có macro (.docm/.xlsm); parstat không chạy macro. Lưu lại tệp dưới dạng "
        ".docx hoặc .xlsx (không macro) rồi nhập lại.",
    ),
    "import.legacy_format": pgettext_lazy(
        "import.legacy_format",
        "Tệp {name} là định dạng {app} cũ ({old}), parstat không đọc được. Mở tệp bằng {app} và "
        "Lưu lại tệp dưới dạng {new} rồi nhập lại.",
    ),
    "import.encrypted": pgettext_lazy(
        "import.encrypted",
        "Tệp {name} được bảo vệ bằng mật khẩu. Mở tệp, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ "
        "tài liệu), lưu lại rồi nhập lại.",
    ),
    "import.corrupt": pgettext_lazy(
        "import.corrupt",
        "Tệp {name} bị hỏng hoặc không đúng định dạng ({reason}). Mở lại tệp bằng Word/Excel, "
        "lưu lại rồi nhập lại.",
    ),
    "import.unknown_format": pgettext_lazy(
        "import.unknown_format",
        "Không nhận ra định dạng của tệp {name}. parstat đọc .docx, .xlsx, .csv (UTF-8) và văn "
        "bản tách bằng tab (.txt); hãy lưu bảng ở một trong các định dạng đó.",
    ),
    "import.encoding": pgettext_lazy(
        "import.encoding",
        "Tệp {name} không phải văn bản UTF-8 (byte thứ {position}). Trong Excel, chọn Lưu thành "
        "«CSV UTF-8 (Phân tách bằng dấu phẩy)» rồi nhập lại.",
    ),
    "import.unit_unknown": pgettext_lazy(
        "import.unit_unknown",
        "Không xác định được đơn vị báo cáo của tệp {name}: {reason}. Hãy chỉ rõ --unit (xem "
        "«parstat units») hoặc đặt tên tệp theo mã đơn vị, ví dụ ST-SKHDT.docx.",
    ),
    "import.period_unknown": pgettext_lazy(
        "import.period_unknown",
        "Không xác định được kỳ báo cáo của tệp {name}: văn bản không ghi ngày báo cáo. Hãy chỉ "
        "rõ --period, ví dụ 2023Q1.",
    ),
    "import.too_many_rows": pgettext_lazy(
        "import.too_many_rows",
        "Tệp {name} có {count} dòng, vượt giới hạn {limit} dòng của một bảng báo cáo; tệp bị "
        "từ chối. Hãy để riêng bảng chỉ tiêu của một báo cáo trong tệp rồi nhập lại.",
    ),
    "import.too_many_columns": pgettext_lazy(
        "import.too_many_columns",
        "Tệp {name} có giá trị ở cột thứ {count}, vượt giới hạn {limit} cột của một bảng báo "
        "cáo; tệp bị từ chối. Hãy xóa các ô ở xa bên phải bảng rồi nhập lại.",
    ),
    "import.table_ambiguous": pgettext_lazy(
        "import.table_ambiguous",
        "Tệp {name} có nhiều bảng giống bảng chỉ tiêu với số dòng khớp gần bằng nhau ({choices}); "
        "hãy chọn bảng cần nhập (--table SỐ, hoặc chọn trong trang xem trước).",
    ),
    "import.table_invalid": pgettext_lazy(
        "import.table_invalid",
        "Tệp {name} không có bảng số {wanted}; các bảng: {choices}.",
    ),
    "import.value_column_ambiguous": pgettext_lazy(
        "import.value_column_ambiguous",
        "Tệp {name}: không xác định được cột nào là số liệu của kỳ {period} ({choices}); hãy "
        "chọn cột (--value-column SỐ, hoặc chọn trong trang xem trước).",
    ),
    "import.value_column_invalid": pgettext_lazy(
        "import.value_column_invalid",
        "Tệp {name}: cột {wanted} không phải cột số liệu; các cột số liệu: {choices}.",
    ),
    "import.column_unmapped": pgettext_lazy(
        "import.column_unmapped",
        "Tệp {name}: phần bảng chứa dòng này (sau khi ngắt trang) không có cột «{column}» hoặc "
        "không nhận ra cột đó; giá trị không được nhập. Hãy lặp lại dòng tiêu đề bảng ở phần "
        "tiếp theo, hoặc chọn cột (--value-column).",
    ),
    "import.period_mismatch": pgettext_lazy(
        "import.period_mismatch",
        "Tệp {name} ghi kỳ «{stated}» ({stated_code}) nhưng được nhập vào kỳ {period}; hãy kiểm "
        "tra lại kỳ báo cáo (nhập lô: --file-period {name}={stated_code} hoặc --accept-period "
        "{name}).",
    ),
    "import.convention_assumed": pgettext_lazy(
        "import.convention_assumed",
        "Tệp {name} viết số theo kiểu tiếng Anh (ví dụ «{evidence}»): dấu phẩy ngăn cách hàng "
        "nghìn được hiểu như vậy ở các số đếm (2,000 = 2.000).",
    ),
    "import.apply_locked": pgettext_lazy(
        "import.apply_locked",
        "Báo cáo của {unit}, kỳ {period} đang ở trạng thái «{state}»: bản xem trước đầy đủ ở "
        "dưới, nhưng áp dụng sẽ bị từ chối; hãy đề nghị trả lại báo cáo để sửa trước.",
    ),
    "import.confirm_invalid": pgettext_lazy(
        "import.confirm_invalid",
        "Không áp dụng được xác nhận gán dòng này cho chỉ tiêu «{code}»: {reason}.",
    ),
    "import.batch_empty": pgettext_lazy(
        "import.batch_empty",
        "Không có tệp báo cáo nào (.docx, .xlsx, .csv, .txt) trong {name}.",
    ),
    "import.batch_duplicate": pgettext_lazy(
        "import.batch_duplicate",
        "Tệp {name} là báo cáo thứ hai của đơn vị {unit} trong lô (đã nhập từ tệp {first}); "
        "tệp này không được nhập. Hãy bỏ tệp thừa hoặc chỉ rõ đơn vị trong tên tệp.",
    ),
    # ---- the REST API (parstat/api) ----
    "auth.required": pgettext_lazy(
        "auth.required",
        "Cần mã truy cập API: gửi tiêu đề «Authorization: Bearer pst_…» (tạo mã bằng lệnh "
        "«parstat token create» hoặc ở trang mã truy cập của anh/chị).",
    ),
    "auth.token_invalid": pgettext_lazy(
        "auth.token_invalid",
        "Mã truy cập API không hợp lệ.",
    ),
    "auth.token_revoked": pgettext_lazy(
        "auth.token_revoked",
        "Mã truy cập API {prefix}… đã bị thu hồi; hãy tạo mã mới.",
    ),
    "token.not_yours": pgettext_lazy(
        "token.not_yours",
        "Anh/chị chỉ có thể thu hồi mã truy cập của chính mình.",
    ),
    "report.hidden": pgettext_lazy(
        "report.hidden",
        "Không có báo cáo số {id}, hoặc anh/chị không được xem báo cáo này.",
    ),
    "period.not_found": pgettext_lazy(
        "period.not_found",
        "Chưa có kỳ báo cáo {code}. Quản trị viên tạo kỳ trên trang quản trị, hoặc chạy "
        "«parstat init --year {year}».",
    ),
    "api.not_found": pgettext_lazy(
        "api.not_found",
        "Không có địa chỉ API {path}. Xem danh sách tại /api/v1/docs.",
    ),
    "api.bad_request": pgettext_lazy(
        "api.bad_request",
        "Không đọc được yêu cầu: nội dung phải là JSON hợp lệ ({reason}).",
    ),
    "api.invalid": pgettext_lazy(
        "api.invalid",
        "Trường {field}: {reason}.",
    ),
    "api.invalid_many": pgettext_lazy(
        "api.invalid_many",
        "Có {count} lỗi trong dữ liệu gửi lên; xem danh sách «errors».",
    ),
    "api.server_error": pgettext_lazy(
        "api.server_error",
        "Lỗi máy chủ; lỗi đã được ghi lại để xử lý.",
    ),
    "values.invalid": pgettext_lazy(
        "values.invalid",
        "Có {count} giá trị không hợp lệ; không giá trị nào được lưu.",
    ),
    "values.duplicate": pgettext_lazy(
        "values.duplicate",
        "Chỉ tiêu {code} có hai lần trong cùng yêu cầu (mục {first} và {index}).",
    ),
    "value.too_large": pgettext_lazy(
        "value.too_large",
        "Chỉ tiêu {code} ({label}): «{text}» quá lớn để lưu (tối đa {digits} chữ số, tức "
        "999.999.999.999.999).",
    ),
    "value.too_precise": pgettext_lazy(
        "value.too_precise",
        "Chỉ tiêu {code} ({label}): «{text}» có quá nhiều chữ số; hệ thống lưu tối đa "
        "{decimals} chữ số thập phân và {digits} chữ số tất cả. Hãy làm tròn rồi nhập lại "
        "(không tự làm tròn thay anh/chị).",
    ),
    "value.control_character": pgettext_lazy(
        "value.control_character",
        "Nội dung của chỉ tiêu {code} có ký tự điều khiển không in được ({char}); hãy xóa ký "
        "tự đó rồi nhập lại.",
    ),
    "document.field_too_long": pgettext_lazy(
        "document.field_too_long",
        "Thông tin văn bản («{attribute}») dài quá {limit} ký tự: «{text}».",
    ),
    "document.control_character": pgettext_lazy(
        "document.control_character",
        "Thông tin văn bản («{attribute}») có ký tự điều khiển không in được ({char}).",
    ),
    "records.empty": pgettext_lazy(
        "records.empty",
        "Tệp {name} không có dòng dữ liệu nào (cần một dòng tiêu đề và các dòng bên dưới).",
    ),
    "records.unknown_column": pgettext_lazy(
        "records.unknown_column",
        "Tệp {name}, dòng {line}: không biết cột «{header}». Các cột dùng được: {columns}.",
    ),
    "records.repeated_column": pgettext_lazy(
        "records.repeated_column",
        "Tệp {name}: cột «{header}» có hai lần.",
    ),
    "records.missing_column": pgettext_lazy(
        "records.missing_column",
        "Tệp {name} thiếu cột bắt buộc: {columns}.",
    ),
    "records.too_many": pgettext_lazy(
        "records.too_many",
        "Tệp {name} có {count} dòng, quá giới hạn {limit} dòng.",
    ),
    "records.bad_date": pgettext_lazy(
        "records.bad_date",
        "Không đọc được ngày «{text}»: hãy viết dd/mm/yyyy, ví dụ 01/07/2025.",
    ),
    "units.bad_kind": pgettext_lazy(
        "units.bad_kind",
        "Không biết loại đơn vị «{text}». Các loại: {kinds}.",
    ),
    "units.repeated": pgettext_lazy(
        "units.repeated",
        "Mã đơn vị {code} đã có ở dòng {first} của cùng tệp.",
    ),
    "units.bad_code": pgettext_lazy(
        "units.bad_code",
        "Mã đơn vị «{text}» không hợp lệ: chỉ dùng chữ không dấu, số, dấu chấm, gạch ngang, "
        "gạch dưới (tối đa 40 ký tự), ví dụ ST-SKHDT.",
    ),
    "units.bad_name": pgettext_lazy(
        "units.bad_name",
        "Đơn vị {code}: tên trống hoặc dài quá 300 ký tự.",
    ),
    "units.bad_validity": pgettext_lazy(
        "units.bad_validity",
        "Đơn vị {code}: ngày hết hiệu lực trước ngày bắt đầu hiệu lực.",
    ),
    "units.bad_email": pgettext_lazy(
        "units.bad_email",
        "Đơn vị {code}: «{text}» không phải địa chỉ thư điện tử.",
    ),
    "units.bad_phone": pgettext_lazy(
        "units.bad_phone",
        "Đơn vị {code}: «{text}» không phải số điện thoại.",
    ),
    "units.self_link": pgettext_lazy(
        "units.self_link",
        "Đơn vị {code} không thể là cấp trên hay đơn vị kế thừa của chính nó.",
    ),
    "units.unknown_link": pgettext_lazy(
        "units.unknown_link",
        "Đơn vị {code}: không có đơn vị mã {target}, trong hệ thống cũng như trong tệp.",
    ),
    "units.cycle": pgettext_lazy(
        "units.cycle",
        "Đơn vị {code}: chuỗi {link} quay vòng lại chính nó.",
    ),
    "units.merge_nothing": pgettext_lazy(
        "units.merge_nothing",
        "Cần ít nhất một đơn vị để sáp nhập.",
    ),
    "units.merge_into_itself": pgettext_lazy(
        "units.merge_into_itself",
        "Đơn vị {code} không thể sáp nhập vào chính nó.",
    ),
    "units.already_merged": pgettext_lazy(
        "units.already_merged",
        "Đơn vị {code} đã sáp nhập vào {successor}.",
    ),
    "units.merge_before_start": pgettext_lazy(
        "units.merge_before_start",
        "Đơn vị {code} bắt đầu hoạt động từ ngày {day} trở về sau: không thể sáp nhập từ ngày đó.",
    ),
    "units.merge_target_closed": pgettext_lazy(
        "units.merge_target_closed",
        "Đơn vị {code} không còn (hoặc chưa có) hiệu lực vào ngày {day}.",
    ),
    "users.bad_username": pgettext_lazy(
        "users.bad_username",
        "Tên đăng nhập «{text}» không hợp lệ: chữ không dấu, số và @ . + - _ (tối đa 150).",
    ),
    "users.bad_email": pgettext_lazy(
        "users.bad_email",
        "Người dùng {username}: «{text}» không phải địa chỉ thư điện tử.",
    ),
    "users.unknown_unit": pgettext_lazy(
        "users.unknown_unit",
        "Người dùng {username}: không có đơn vị mã {unit}.",
    ),
    "users.bad_role": pgettext_lazy(
        "users.bad_role",
        "Người dùng {username}: không biết vai trò «{text}». Các vai trò: {roles}.",
    ),
    "users.disagreeing_rows": pgettext_lazy(
        "users.disagreeing_rows",
        "Người dùng {username}: {attribute} ở dòng này khác dòng {first}.",
    ),
    "users.repeated_role": pgettext_lazy(
        "users.repeated_role",
        "Người dùng {username} đã có vai trò {role} tại {unit} ở dòng {first}.",
    ),
    "datavalues.duplicate": pgettext_lazy(
        "datavalues.duplicate",
        "Giá trị của {unit}, kỳ {period}, chỉ tiêu {code} đã có ở mục {first} của cùng "
        "lần gửi.",
    ),
    "datavalues.conflicts": pgettext_lazy(
        "datavalues.conflicts",
        "Có {count} giá trị bị từ chối nên không giá trị nào được lưu (atomic=true). Xem "
        "«conflicts»; gửi với atomic=false để lưu các giá trị không bị từ chối.",
    ),
    "backup.target_not_empty": pgettext_lazy(
        "backup.target_not_empty",
        "Cơ sở dữ liệu đích {database} đã có {tables} bảng; chỉ khôi phục vào cơ sở dữ liệu "
        "trống, hoặc thêm --force để ghi đè toàn bộ.",
    ),
    "backup.unknown_format": pgettext_lazy(
        "backup.unknown_format",
        "Tệp {path} không phải bản sao lưu của parstat (SQLite hoặc pg_dump dạng custom).",
    ),
    "backup.wrong_database": pgettext_lazy(
        "backup.wrong_database",
        "Tệp {path} là bản sao lưu {kind}, nhưng cơ sở dữ liệu đích là {target}.",
    ),
    "backup.migrations_differ": pgettext_lazy(
        "backup.migrations_differ",
        "Bản sao lưu {path} được tạo với cấu trúc dữ liệu khác phiên bản parstat này "
        "({detail}); hãy khôi phục bằng đúng phiên bản đã sao lưu.",
    ),
    "backup.tool_failed": pgettext_lazy(
        "backup.tool_failed",
        "{tool} báo lỗi (mã {status}): {detail}",
    ),
}

# The same codes said of a cell: the indicator leads, as every "value.*" message says it
# ("Chỉ tiêu {code} ({label}) …"), instead of "chỉ tiêu {code}: " put before the message.
# Used when the error carries the indicator's ``code`` and ``label`` (reporting/values.py).
IN_INDICATOR: dict[str, Promise] = {
    "number.invalid": pgettext_lazy(
        "number.invalid",
        "Chỉ tiêu {code} ({label}) không nhận «{text}»: hãy viết số theo kiểu Việt Nam, ví dụ "
        "1.327 hoặc 32,5.",
    ),
    "number.ambiguous": pgettext_lazy(
        "number.ambiguous",
        "Chỉ tiêu {code} ({label}) không rõ nghĩa với «{text}»: dấu chấm dùng để phân cách hàng "
        "nghìn (1.327), dấu phẩy để ghi phần thập phân (32,5).",
    ),
}


# Words a message takes as a parameter, keyed "<parameter>.<value>": ParstatError(…,
# reason="confirm.no_row") says TERMS["reason.confirm.no_row"] in the message's language. A term
# is formatted with the error's other parameters ({limit} below is the error's ``limit``).
TERMS: dict[str, Promise] = {
    # {action}: what a person may or may not do to a report
    "action.view": pgettext_lazy(
        "action.view",
        "xem",
    ),
    "action.edit": pgettext_lazy(
        "action.edit",
        "sửa",
    ),
    "action.submit": pgettext_lazy(
        "action.submit",
        "gửi",
    ),
    "action.accept": pgettext_lazy(
        "action.accept",
        "tiếp nhận",
    ),
    "action.return": pgettext_lazy(
        "action.return",
        "trả lại",
    ),
    "action.reopen": pgettext_lazy(
        "action.reopen",
        "mở lại",
    ),
    # why a province package cannot be read (parstat.province.receive)
    "reason.package.too_many_files": pgettext_lazy(
        "reason.package.too_many_files",
        "quá {max_members} tệp trong gói",
    ),
    "reason.package.too_large": pgettext_lazy(
        "reason.package.too_large",
        "giải nén ra quá lớn",
    ),
    "reason.package.foreign_member": pgettext_lazy(
        "reason.package.foreign_member",
        "tệp «{member}» không thuộc gói",
    ),
    "reason.package.not_zip": pgettext_lazy(
        "reason.package.not_zip",
        "không phải tệp .zip hợp lệ ({detail})",
    ),
    "reason.package.no_manifest": pgettext_lazy(
        "reason.package.no_manifest",
        "thiếu manifest.json hoặc package.json",
    ),
    "reason.package.manifest_unreadable": pgettext_lazy(
        "reason.package.manifest_unreadable",
        "manifest.json không đọc được ({detail})",
    ),
    "reason.package.not_listed": pgettext_lazy(
        "reason.package.not_listed",
        "không có trong bảng kê",
    ),
    "reason.package.hash_differs": pgettext_lazy(
        "reason.package.hash_differs",
        "SHA-256 {got}…, {got_size} byte; bảng kê ghi {listed}…, {listed_size} byte",
    ),
    "reason.package.missing_member": pgettext_lazy(
        "reason.package.missing_member",
        "có trong bảng kê nhưng không có trong gói",
    ),
    "reason.package.json_hash_differs": pgettext_lazy(
        "reason.package.json_hash_differs",
        "khác package_sha256 của bảng kê",
    ),
    "reason.package.not_json": pgettext_lazy(
        "reason.package.not_json",
        "package.json không phải JSON ({detail})",
    ),
    # the steps of the province's report (parstat.province.workflow)
    "action.province_submit": pgettext_lazy(
        "action.province_submit",
        "trình",
    ),
    "action.approve": pgettext_lazy(
        "action.approve",
        "duyệt",
    ),
    "action.send": pgettext_lazy(
        "action.send",
        "gửi lên",
    ),
    # {attribute}: a fact of a report's document or of a person
    "attribute.number": pgettext_lazy(
        "attribute.number",
        "số văn bản",
    ),
    "attribute.issuer": pgettext_lazy(
        "attribute.issuer",
        "cơ quan ban hành",
    ),
    "attribute.full_name": pgettext_lazy(
        "attribute.full_name",
        "họ và tên",
    ),
    "attribute.email": pgettext_lazy(
        "attribute.email",
        "thư điện tử",
    ),
    # {reason} of value.words_unclear
    "reason.words.tick_no_yes": pgettext_lazy(
        "reason.words.tick_no_yes",
        "dấu tích chỉ dùng cho chỉ tiêu Có/Không",
    ),
    "reason.words.unit_words": pgettext_lazy(
        "reason.words.unit_words",
        "chữ sau số không phải đơn vị tính của dòng",
    ),
    "reason.words.not_certain": pgettext_lazy(
        "reason.words.not_certain",
        "«Không có» không rõ là lựa chọn nào",
    ),
    # {reason} of import.confirm_invalid
    "reason.confirm.no_row": pgettext_lazy(
        "reason.confirm.no_row",
        "tệp không có dòng chỉ tiêu này",
    ),
    "reason.confirm.no_indicator": pgettext_lazy(
        "reason.confirm.no_indicator",
        "biểu mẫu không có chỉ tiêu mã này",
    ),
    "reason.confirm.taken": pgettext_lazy(
        "reason.confirm.taken",
        "chỉ tiêu này đã được gán cho một dòng khác",
    ),
    # {reason} of import.unit_unknown
    "reason.unit.no_issuer": pgettext_lazy(
        "reason.unit.no_issuer",
        "văn bản không ghi rõ cơ quan ban hành trùng với một đơn vị đã đăng ký",
    ),
    "reason.unit.no_match": pgettext_lazy(
        "reason.unit.no_match",
        "cả tiêu đề văn bản lẫn tên tệp đều không khớp đơn vị nào",
    ),
    # {reason} of import.zip_bomb and import.corrupt
    "reason.zip.total": pgettext_lazy(
        "reason.zip.total",
        "tổng dung lượng giải nén {total_mb} MB, giới hạn {limit_mb} MB",
    ),
    "reason.zip.ratio": pgettext_lazy(
        "reason.zip.ratio",
        "phần {member} nén {ratio} lần, giới hạn {limit} lần",
    ),
    "reason.corrupt.not_xml": pgettext_lazy(
        "reason.corrupt.not_xml",
        "phần {member} không phải XML hợp lệ ({detail})",
    ),
    "reason.corrupt.no_main_part": pgettext_lazy(
        "reason.corrupt.no_main_part",
        "thiếu phần nội dung chính",
    ),
    # {reason} of api.invalid: the kinds of pydantic's validation errors ({…} from its ctx)
    "reason.api.invalid": pgettext_lazy(
        "reason.api.invalid",
        "không hợp lệ",
    ),
    "reason.api.missing": pgettext_lazy(
        "reason.api.missing",
        "thiếu giá trị bắt buộc",
    ),
    "reason.api.whole_number": pgettext_lazy(
        "reason.api.whole_number",
        "phải là số nguyên",
    ),
    "reason.api.number": pgettext_lazy(
        "reason.api.number",
        "phải là số",
    ),
    "reason.api.finite_number": pgettext_lazy(
        "reason.api.finite_number",
        "phải là số hữu hạn",
    ),
    "reason.api.bool": pgettext_lazy(
        "reason.api.bool",
        "phải là true hoặc false",
    ),
    "reason.api.string": pgettext_lazy(
        "reason.api.string",
        "phải là chuỗi ký tự",
    ),
    "reason.api.string_too_short": pgettext_lazy(
        "reason.api.string_too_short",
        "không được để trống",
    ),
    "reason.api.string_too_long": pgettext_lazy(
        "reason.api.string_too_long",
        "dài quá {max_length} ký tự",
    ),
    "reason.api.pattern": pgettext_lazy(
        "reason.api.pattern",
        "không đúng dạng",
    ),
    "reason.api.ge": pgettext_lazy(
        "reason.api.ge",
        "phải lớn hơn hoặc bằng {ge}",
    ),
    "reason.api.gt": pgettext_lazy(
        "reason.api.gt",
        "phải lớn hơn {gt}",
    ),
    "reason.api.le": pgettext_lazy(
        "reason.api.le",
        "phải nhỏ hơn hoặc bằng {le}",
    ),
    "reason.api.lt": pgettext_lazy(
        "reason.api.lt",
        "phải nhỏ hơn {lt}",
    ),
    "reason.api.too_short": pgettext_lazy(
        "reason.api.too_short",
        "cần ít nhất {min_length} phần tử",
    ),
    "reason.api.too_long": pgettext_lazy(
        "reason.api.too_long",
        "nhiều hơn {max_length} phần tử",
    ),
    "reason.api.list": pgettext_lazy(
        "reason.api.list",
        "phải là một danh sách",
    ),
    "reason.api.object": pgettext_lazy(
        "reason.api.object",
        "phải là một đối tượng JSON",
    ),
    "reason.api.extra_forbidden": pgettext_lazy(
        "reason.api.extra_forbidden",
        "không có trường này",
    ),
    "reason.api.one_of": pgettext_lazy(
        "reason.api.one_of",
        "phải là một trong: {expected}",
    ),
    "reason.api.text_invalid": pgettext_lazy(
        "reason.api.text_invalid",
        "chứa ký tự không lưu được (NUL hoặc mã Unicode lẻ)",
    ),
    "reason.api.json_invalid": pgettext_lazy(
        "reason.api.json_invalid",
        "không phải JSON hợp lệ",
    ),
    "reason.api.cell_type": pgettext_lazy(
        "reason.api.cell_type",
        "phải là chuỗi ký tự, số hoặc null",
    ),
    # {where} and {reason} of template.invalid (a template's YAML or workbook, checked)
    "where.yaml": pgettext_lazy(
        "where.yaml",
        "tệp YAML",
    ),
    "where.head": pgettext_lazy(
        "where.head",
        "đầu tệp",
    ),
    "where.section": pgettext_lazy(
        "where.section",
        "phần thứ {section}",
    ),
    "where.indicator": pgettext_lazy(
        "where.indicator",
        "chỉ tiêu {code}",
    ),
    "where.indicator_uncoded": pgettext_lazy(
        "where.indicator_uncoded",
        "chỉ tiêu (không mã)",
    ),
    "where.formula": pgettext_lazy(
        "where.formula",
        "chỉ tiêu {code} (công thức «{formula}»)",
    ),
    "where.formulas": pgettext_lazy(
        "where.formulas",
        "công thức",
    ),
    "where.rule": pgettext_lazy(
        "where.rule",
        "quy tắc {code}",
    ),
    "where.rule_uncoded": pgettext_lazy(
        "where.rule_uncoded",
        "quy tắc (không mã)",
    ),
    "where.rule_side": pgettext_lazy(
        "where.rule_side",
        "quy tắc {code} (vế {side})",
    ),
    "where.mapping": pgettext_lazy(
        "where.mapping",
        "ánh xạ",
    ),
    "where.sheet": pgettext_lazy(
        "where.sheet",
        "trang «{sheet}»",
    ),
    "where.sheet_row": pgettext_lazy(
        "where.sheet_row",
        "trang «{sheet}», dòng {line}",
    ),
    "reason.template.not_a_template": pgettext_lazy(
        "reason.template.not_a_template",
        "nội dung không phải một biểu mẫu",
    ),
    "reason.template.missing_field": pgettext_lazy(
        "reason.template.missing_field",
        "thiếu trường «{field}»",
    ),
    "reason.template.no_indicators": pgettext_lazy(
        "reason.template.no_indicators",
        "biểu mẫu không có chỉ tiêu nào",
    ),
    "reason.template.code_form": pgettext_lazy(
        "reason.template.code_form",
        "mã phải có dạng {numeral}.1, {numeral}.1.a hoặc {numeral}.1.a.1",
    ),
    "reason.template.code_repeated": pgettext_lazy(
        "reason.template.code_repeated",
        "mã bị trùng",
    ),
    "reason.template.parent_first": pgettext_lazy(
        "reason.template.parent_first",
        "chỉ tiêu cha {parent} phải đứng trước",
    ),
    "reason.template.bad_kind": pgettext_lazy(
        "reason.template.bad_kind",
        "loại «{given}» không hợp lệ ({allowed})",
    ),
    "reason.template.bad_aggregation": pgettext_lazy(
        "reason.template.bad_aggregation",
        "cách tổng hợp «{given}» không hợp lệ",
    ),
    "reason.template.formula_missing": pgettext_lazy(
        "reason.template.formula_missing",
        "tổng hợp theo công thức nhưng không có công thức",
    ),
    "reason.template.check_without_formula": pgettext_lazy(
        "reason.template.check_without_formula",
        "«formula_check» chỉ dùng cho chỉ tiêu có công thức",
    ),
    "reason.template.bad_formula_check": pgettext_lazy(
        "reason.template.bad_formula_check",
        "«formula_check» phải là error hoặc warning",
    ),
    "reason.template.choices": pgettext_lazy(
        "reason.template.choices",
        "cần danh sách lựa chọn (value, label) không trùng, ít nhất hai",
    ),
    "reason.template.flag_values": pgettext_lazy(
        "reason.template.flag_values",
        "chỉ tiêu Có/Không phải có đúng hai giá trị 1 và 0",
    ),
    "reason.template.unknown_codes": pgettext_lazy(
        "reason.template.unknown_codes",
        "dùng mã không có trong biểu mẫu: {codes}",
    ),
    "reason.template.self_reference": pgettext_lazy(
        "reason.template.self_reference",
        "công thức tự tham chiếu chính nó",
    ),
    "reason.template.formula_cycle": pgettext_lazy(
        "reason.template.formula_cycle",
        "các công thức tham chiếu vòng tròn: {cycle}",
    ),
    "reason.template.not_a_date": pgettext_lazy(
        "reason.template.not_a_date",
        "«{field}» phải là một ngày (YYYY-MM-DD)",
    ),
    "reason.template.bad_unit_kinds": pgettext_lazy(
        "reason.template.bad_unit_kinds",
        "loại đơn vị không hợp lệ: {codes}",
    ),
    "reason.template.mapping_without_previous": pgettext_lazy(
        "reason.template.mapping_without_previous",
        "có ánh xạ (from, dropped) nhưng không có «previous»",
    ),
    "reason.template.previous_not_loaded": pgettext_lazy(
        "reason.template.previous_not_loaded",
        "ấn bản trước {previous} chưa được nạp",
    ),
    "reason.template.previous_other_table": pgettext_lazy(
        "reason.template.previous_other_table",
        "ấn bản trước {previous} thuộc bảng {family}, không phải {own}",
    ),
    "reason.template.from_unknown": pgettext_lazy(
        "reason.template.from_unknown",
        "«from» nêu mã không có ở {previous}: {codes}",
    ),
    "reason.template.dropped_unknown": pgettext_lazy(
        "reason.template.dropped_unknown",
        "mã {old} không có ở {previous}",
    ),
    "reason.template.dropped_and_continued": pgettext_lazy(
        "reason.template.dropped_and_continued",
        "mã {old} vừa bị bỏ vừa được chỉ tiêu {codes} kế tục",
    ),
    "reason.template.unaccounted": pgettext_lazy(
        "reason.template.unaccounted",
        "các chỉ tiêu của {previous} không được kế tục cũng không nằm trong «dropped»: {codes}",
    ),
    "reason.template.merge_shared": pgettext_lazy(
        "reason.template.merge_shared",
        "gộp từ {codes}, mã này đã được chỉ tiêu khác kế tục",
    ),
    "reason.template.rule_repeated": pgettext_lazy(
        "reason.template.rule_repeated",
        "mã quy tắc bị trùng",
    ),
    "reason.template.bad_operator": pgettext_lazy(
        "reason.template.bad_operator",
        "phép so sánh «{given}» không hợp lệ",
    ),
    "reason.template.bad_severity": pgettext_lazy(
        "reason.template.bad_severity",
        "mức độ phải là error hoặc warning",
    ),
    "reason.template.bad_missing": pgettext_lazy(
        "reason.template.bad_missing",
        "cách xử lý giá trị thiếu «{given}» không hợp lệ",
    ),
    "reason.template.rule_placeholders": pgettext_lazy(
        "reason.template.rule_placeholders",
        "thông báo chỉ được dùng {{left}} và {{right}}: {extra}",
    ),
    "reason.template.missing_sheet": pgettext_lazy(
        "reason.template.missing_sheet",
        "thiếu trang này",
    ),
    "reason.template.unknown_key": pgettext_lazy(
        "reason.template.unknown_key",
        "khóa «{key}» không dùng được",
    ),
    "reason.template.unknown_section": pgettext_lazy(
        "reason.template.unknown_section",
        "phần «{section}» không có ở trang «{other}»",
    ),
    "reason.template.mapping_unknown_code": pgettext_lazy(
        "reason.template.mapping_unknown_code",
        "mã {code} không có ở trang «{other}»",
    ),
    "reason.template.edition_year": pgettext_lazy(
        "reason.template.edition_year",
        "«edition» phải là một năm",
    ),
    "reason.template.choice_form": pgettext_lazy(
        "reason.template.choice_form",
        "lựa chọn «{given}» phải có dạng 1=Có; 0=Không",
    ),
    "where.part": pgettext_lazy(
        "where.part",
        "mục {key}",
    ),
    "reason.template.part_repeated": pgettext_lazy(
        "reason.template.part_repeated",
        "mã mục trùng",
    ),
    # {reason} of expression.syntax
    "reason.expression.bad_char": pgettext_lazy(
        "reason.expression.bad_char",
        "ký tự «{char}» không hợp lệ",
    ),
    "reason.expression.unfinished": pgettext_lazy(
        "reason.expression.unfinished",
        "công thức chưa kết thúc (thiếu số hạng hoặc dấu «)»)",
    ),
    "reason.expression.comma": pgettext_lazy(
        "reason.expression.comma",
        "dấu phẩy không đúng chỗ (số thập phân viết 0.5)",
    ),
    "reason.expression.misplaced": pgettext_lazy(
        "reason.expression.misplaced",
        "«{token}» không đúng chỗ",
    ),
    "reason.expression.unreadable": pgettext_lazy(
        "reason.expression.unreadable",
        "không đọc được công thức",
    ),
    "reason.expression.empty": pgettext_lazy(
        "reason.expression.empty",
        "công thức trống",
    ),
    "reason.expression.too_deep": pgettext_lazy(
        "reason.expression.too_deep",
        "công thức lồng nhau quá sâu",
    ),
    "reason.expression.number_needed": pgettext_lazy(
        "reason.expression.number_needed",
        "cần một giá trị số ở đây, không phải điều kiện",
    ),
    "reason.expression.condition_needed": pgettext_lazy(
        "reason.expression.condition_needed",
        "cần một điều kiện (đúng/sai) ở đây, không phải số",
    ),
    "reason.expression.compare_mixed": pgettext_lazy(
        "reason.expression.compare_mixed",
        "không thể so sánh một số với một điều kiện",
    ),
    "reason.expression.operator_on_condition": pgettext_lazy(
        "reason.expression.operator_on_condition",
        "không thể dùng «{symbol}» với điều kiện",
    ),
    "reason.expression.not_a_code": pgettext_lazy(
        "reason.expression.not_a_code",
        "«{name}» không phải mã chỉ tiêu hay lời gọi hàm",
    ),
    "reason.expression.round_places": pgettext_lazy(
        "reason.expression.round_places",
        "số chữ số làm tròn phải là số nguyên, ví dụ round(x, 2)",
    ),
    "reason.expression.coalesce_mixed": pgettext_lazy(
        "reason.expression.coalesce_mixed",
        "các đối số của coalesce phải cùng là số hoặc cùng là điều kiện",
    ),
    "reason.expression.if_mixed": pgettext_lazy(
        "reason.expression.if_mixed",
        "hai nhánh của if phải cùng là số hoặc cùng là điều kiện",
    ),
}

# The parameters whose values may name a term, and the Vietnamese verbs callers used to pass as
# {action} before it took the action's name (both still read).
TERM_PARAMETERS = frozenset({"action", "attribute", "reason", "where"})
_ACTION_BY_VERB = {"xem": "view", "sửa": "edit", "gửi": "submit", "tiếp nhận": "accept",
                   "trả lại": "return", "mở lại": "reopen"}
_ROW = pgettext_lazy("error location", "Dòng {row}")
_INDICATOR = pgettext_lazy("error location", "chỉ tiêu {indicator}")


def _choice_label(name: str, value: object) -> object:
    """The label, in the active language, of a report state (``state``) or a unit kind
    (``kind``) passed by its code; any other value as it is."""
    from parstat.province.models import ProvinceState
    from parstat.reporting.models import ReportState  # both import this module
    from parstat.units.models import UnitKind

    choices = {"state": ReportState, "kind": UnitKind, "province_state": ProvinceState}[name]
    return choices(str(value)).label if value in choices.values else value


def said(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with each term, report state and unit kind said in the active language."""
    out = dict(params)
    for name, value in params.items():
        if name == "action" and isinstance(value, str):
            value = _ACTION_BY_VERB.get(value, value)
        term = (TERMS.get(f"{name}.{value}")
                if name in TERM_PARAMETERS and isinstance(value, str) else None)
        if isinstance(value, ParstatError):  # an error said as the reason of another
            out[name] = value._render()
        elif term is not None:
            out[name] = str(term).format(**params)
        elif name in ("state", "kind", "province_state"):
            out[name] = str(_choice_label(name, value))
    return out


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
        super().__init__(code)

    def __str__(self) -> str:
        return self.message

    def located(self, *, row: int | None, indicator: str | None) -> ParstatError:
        """The same error, said of a given row and indicator."""
        return ParstatError(self.code, row=row, indicator=indicator, **self.params)

    def _render(self) -> str:
        in_indicator = "label" in self.params and self.code in IN_INDICATOR
        message = IN_INDICATOR[self.code] if in_indicator else MESSAGES[self.code]
        text = str(message).format(**said(self.params))
        where = []
        if self.row is not None:
            where.append(str(_ROW).format(row=self.row))
        if self.indicator is not None and f"{self.indicator} " not in text:
            where.append(str(_INDICATOR).format(indicator=self.indicator))
        return f"{', '.join(where)}: {text}" if where else text

    def said(self, name: str) -> str:
        """Parameter ``name`` as the message says it, in the active language."""
        return str(said(self.params).get(name, ""))

    def in_language(self, language: str) -> str:
        """The message in ``language`` ("vi", "en")."""
        with translation.override(language):
            return self._render()

    @property
    def message(self) -> str:
        """The message in Vietnamese."""
        return self.in_language("vi")

    @property
    def message_en(self) -> str:
        return self.in_language("en")

    @property
    def localized(self) -> str:
        """The message in the active language: the request's (Django's LocaleMiddleware), the
        command line's (settings, ``--lang``), Vietnamese otherwise."""
        return self._render()

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row, "indicator": self.indicator,
                "message": self.message, "message_en": self.message_en}
