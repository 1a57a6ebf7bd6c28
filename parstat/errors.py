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
    "value.thousands_comma": (
        "Chỉ tiêu {code} ({label}) là số đếm: «{text}» không rõ là số thập phân hay số có dấu "
        "phẩy ngăn cách hàng nghìn; hãy viết {plain} hoặc theo kiểu Việt Nam (dấu chấm ngăn "
        "cách hàng nghìn, ví dụ 2.000 hoặc 2000).",
        "Indicator {code} ({label}) is a count: «{text}» could be a decimal or a number with an "
        "English thousands comma; write {plain}, or the Vietnamese way (a dot groups "
        "thousands, e.g. 2.000 or 2000).",
    ),
    "value.percent_fraction": (
        "Chỉ tiêu {code} ({label}) là tỷ lệ phần trăm: «{text}» trông như một phân số của "
        "Excel (tức {shown} %) chứ không phải {text} %; hãy ghi tỷ lệ theo phần trăm (ví dụ "
        "{shown}) hoặc định dạng ô là phần trăm.",
        "Indicator {code} ({label}) is a percentage: «{text}» looks like an Excel fraction "
        "(that is {shown} %), not {text} %; write the rate in percent (e.g. {shown}) or format "
        "the cell as a percentage.",
    ),
    "value.words_unclear": (
        "Chỉ tiêu {code} ({label}) nhận {expected}: không đọc được «{text}» ({reason}); hãy ghi "
        "đúng một giá trị như vậy.",
        "Indicator {code} ({label}) takes {expected}: cannot read «{text}» ({reason_en}); write "
        "one such value.",
    ),
    "value.too_long": (
        "Nội dung của chỉ tiêu {code} dài quá {limit} ký tự.",
        "The text of indicator {code} is longer than {limit} characters.",
    ),
    "value.not_applicable": (
        "Chỉ tiêu {code} ({label}) không áp dụng cho đơn vị loại «{kind}»: không nhận giá trị.",
        "Indicator {code} ({label}) does not apply to a unit of kind «{kind}»: it takes no value.",
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
    "template.edition_in_use": (
        "Ấn bản {template} đã có báo cáo: chỉ được đính chính câu chữ (tên, đơn vị tính, ghi "
        "chú), không được đổi chỉ tiêu {code}. Hãy lập ấn bản mới (previous: {template}).",
        "Edition {template} has reports: only its wording (labels, units, comments) may be "
        "corrected, not indicator {code}. Make a new edition (previous: {template}).",
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
    "push.unreachable": (
        "Không kết nối được máy chủ nhận số liệu {url}: {reason}.",
        "Cannot reach the receiving server {url}: {reason}.",
    ),
    "push.refused": (
        "Máy chủ {url} từ chối (mã {status}): {reason}",
        "The server {url} refused (status {status}): {reason}",
    ),
    "push.bad_answer": (
        "Máy chủ {url} không trả về bản tóm tắt nhập số liệu (importCount): {reason}",
        "The server {url} did not answer an import summary (importCount): {reason}",
    ),
    "push.conflicts": (
        "Lần chạy thử trên {url} có {count} xung đột, nên chưa gửi thật: {conflicts}",
        "The dry run on {url} had {count} conflicts, so nothing was sent: {conflicts}",
    ),
    "push.not_configured": (
        "Chưa cấu hình máy chủ nhận số liệu: đặt PARSTAT_DHIS2_URL (và PARSTAT_DHIS2_TOKEN) "
        "hoặc dùng --url.",
        "No receiving server is configured: set PARSTAT_DHIS2_URL (and PARSTAT_DHIS2_TOKEN) "
        "or give --url.",
    ),
    "report.not_found": (
        "Chưa có báo cáo của đơn vị {unit} kỳ {period}.",
        "There is no report of unit {unit} for period {period}.",
    ),
    "report.locked": (
        "Báo cáo của {unit} kỳ {period} đang ở trạng thái «{state}»: không thể sửa số liệu.",
        "The report of {unit} for {period} is «{state}»: its values cannot be changed.",
    ),
    "report.stale": (
        "Báo cáo đã được {actor} thay đổi trong lúc anh/chị sửa (phiên bản {expected} → {current}): "
        "{changes}. Xem các thay đổi đó, rồi giữ số liệu đã lưu hoặc lưu lại số của anh/chị.",
        "{actor} changed the report while you were editing (version {expected} → {current}): "
        "{changes}. Look at those changes, then keep the stored values or save yours again.",
    ),
    "workflow.bad_state": (
        "Không thể {action} báo cáo đang ở trạng thái «{state}».",
        "Cannot {action} a report that is «{state}».",
    ),
    "workflow.has_errors": (
        "Chưa thể gửi: báo cáo còn {count} lỗi ({rules}). Hãy sửa số liệu trước khi gửi.",
        "Cannot submit: the report has {count} errors ({rules}). Correct the values first.",
    ),
    "workflow.explain_warnings": (
        "Báo cáo có {count} cảnh báo ({rules}): hãy ghi ngắn gọn lý do trước khi gửi.",
        "The report has {count} warnings ({rules}): give a short explanation before submitting.",
    ),
    "workflow.reason_required": (
        "Hãy ghi lý do {action}.",
        "Give the reason to {action}.",
    ),
    "narrative.unknown_key": (
        "Báo cáo không có mục «{key}» trong đề cương của bảng {family}.",
        "The report has no part «{key}» in the outline of table {family}.",
    ),
    "narrative.unknown_figure": (
        "Mục «{heading}»: không có chỉ tiêu mã {code} trong biểu mẫu {template}, nên không chèn "
        "được số liệu {{{{{code}}}}}.",
        "Part «{heading}»: template {template} has no indicator {code}, so figure "
        "{{{{{code}}}}} cannot be inserted.",
    ),
    "narrative.too_long": (
        "Mục «{heading}» dài {length} ký tự, quá giới hạn {limit} ký tự.",
        "Part «{heading}» is {length} characters long, over the limit of {limit}.",
    ),
    "narrative.control_character": (
        "Mục «{heading}» chứa ký tự điều khiển {char} không in được.",
        "Part «{heading}» holds the unprintable control character {char}.",
    ),
    "narrative.stale": (
        "Mục «{heading}» đã được {actor} sửa trong lúc anh/chị soạn (phiên bản {expected} → "
        "{current}); nội dung hiện tại: «{current_text}».",
        "Part «{heading}» was changed by {actor} meanwhile (version {expected} → {current}); "
        "it now reads: «{current_text}».",
    ),
    "narrative.locked": (
        "Báo cáo của {unit} kỳ {period} đang ở trạng thái «{state}»: không thể sửa phần lời.",
        "The report of {unit} for {period} is «{state}»: its text cannot be changed.",
    ),
    "province.bad_state": (
        "Không thể {action} báo cáo của {unit} kỳ {period} đang ở trạng thái «{state}».",
        "Cannot {action} the report of {unit} for {period}: it is «{state}».",
    ),
    "province.locked": (
        "Báo cáo của {unit} kỳ {period} đang ở trạng thái «{state}»: không thể sửa; hãy mở lại "
        "(ghi lý do) trước khi sửa.",
        "The report of {unit} for {period} is «{state}»: it cannot be changed; reopen it (with "
        "a reason) first.",
    ),
    "province.nothing_counted": (
        "Chưa thể trình: không có báo cáo nào của các đơn vị thuộc {unit} kỳ {period} ở phạm vi "
        "«{scope}».",
        "Cannot submit: no report of the units below {unit} for {period} is in the scope "
        "«{scope}».",
    ),
    "province.not_approved": (
        "Báo cáo của {unit} kỳ {period} chưa được lãnh đạo tỉnh duyệt: chưa có số liệu để gửi.",
        "The report of {unit} for {period} has not been approved by the province's leader: "
        "there is nothing to send yet.",
    ),
    "province.drifted": (
        "Báo cáo của {unit} kỳ {period} không còn khớp với số liệu lãnh đạo tỉnh đã duyệt "
        "({changes}): không thể lập gói gửi đi vì các tài liệu sẽ in theo số liệu hiện tại; hãy "
        "mở lại báo cáo của tỉnh (ghi lý do), trình và duyệt lại.",
        "The report of {unit} for {period} no longer matches what the province's leader "
        "approved ({changes_en}): no package can be built, since its documents would show the "
        "values as they are now; reopen the province's report (with a reason), submit and "
        "approve it again.",
    ),
    "province.no_report": (
        "{unit} chưa có báo cáo của tỉnh kỳ {period}.",
        "{unit} has no province report for {period}.",
    ),
    "province.not_sent": (
        "Báo cáo của {unit} kỳ {period} chưa được gửi lên: chưa có gói đã gửi để gửi lại; hãy "
        "gửi báo cáo (ghi số và ngày văn bản) trước.",
        "The report of {unit} for {period} has not been sent: there is no sent package to send "
        "again; send the report (with its document number and date) first.",
    ),
    "package.unreadable": (
        "Không đọc được gói số liệu {name}: {reason}",
        "Cannot read package {name}: {reason}",
    ),
    "package.hash_mismatch": (
        "Gói số liệu {name} bị từ chối: tệp «{member}» không khớp với bảng kê (manifest.json) "
        "({reason}); gói có thể đã bị sửa hoặc hỏng trên đường gửi.",
        "Package {name} is refused: file «{member}» does not match its manifest "
        "(manifest.json) ({reason}); the package may have been altered or damaged on the way.",
    ),
    "package.invalid": (
        "Gói số liệu {name}: package.json không đúng lược đồ công bố ({count} lỗi; đầu tiên: "
        "{first}).",
        "Package {name}: package.json does not match the published schema ({count} errors; "
        "first: {first}).",
    ),
    "package.unknown_template": (
        "Gói số liệu của {province} kỳ {period} dùng biểu mẫu {template} (ấn bản {edition}), "
        "hệ thống nhận không có biểu mẫu này{found}.",
        "The package of {province} for {period} is on template {template} (edition "
        "{edition}), which this installation does not have{found}.",
    ),
    "package.unknown_indicator": (
        "Gói số liệu của {province} kỳ {period}: biểu mẫu {template} của hệ thống nhận không có "
        "chỉ tiêu {codes}; không lưu gì.",
        "The package of {province} for {period}: template {template} of this installation has "
        "no indicator {codes}; nothing was stored.",
    ),
    "package.value_unstorable": (
        "Gói số liệu của {province} kỳ {period}: giá trị {value} của chỉ tiêu {code} vượt quá "
        "số chữ số lưu được chính xác ({digits} chữ số, {decimals} chữ số thập phân); không lưu "
        "gì.",
        "The package of {province} for {period}: the value {value} of indicator {code} has more "
        "digits than can be stored exactly ({digits} digits, {decimals} decimals); nothing was "
        "stored.",
    ),
    "package.conflict": (
        "Đã nhận một gói khác của {province} kỳ {period}, biểu mẫu {template}, cùng phiên bản "
        "{version} (nhận lúc {received_at}); gói này bị từ chối, không lưu gì. Một bản sửa phải "
        "mang phiên bản mới hơn.",
        "A different package of {province} for {period}, template {template}, with the same "
        "version {version} was already received (at {received_at}); this one is refused and "
        "nothing was stored. A correction must carry a newer version.",
    ),
    "package.outdated": (
        "Gói số liệu của {province} kỳ {period} là phiên bản {version}, cũ hơn phiên bản "
        "{current} đã nhận; không lưu gì.",
        "The package of {province} for {period} is version {version}, older than the version "
        "{current} already received; nothing was stored.",
    ),
    "package.receive_denied": (
        "Anh/chị không có quyền nhận gói số liệu của các tỉnh: chỉ quản trị viên hoặc cán bộ "
        "tổng hợp của đơn vị cấp cao nhất của hệ thống này được nhận.",
        "You may not receive the provinces' packages: only an administrator or a consolidator "
        "of a top unit of this installation may.",
    ),
    "package.read_denied": (
        "Anh/chị không có quyền xem số liệu các tỉnh đã gửi lên.",
        "You may not see the packages the provinces sent.",
    ),
    "package.send_failed": (
        "Không gửi được gói số liệu tới {url}: {reason}",
        "Could not send the package to {url}: {reason}",
    ),
    "document.date_invalid": (
        "Ngày văn bản «{text}» không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 17/03/2023.",
        "Document date «{text}» is not valid: write it as day/month/year, e.g. 17/03/2023.",
    ),
    "permission.denied": (
        "Anh/chị không có quyền {action} báo cáo này.",
        "You may not {action} this report.",
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
    "import.too_large": (
        "Tệp {name} nặng {size} MB, vượt giới hạn {limit} MB. Hãy để bảng chỉ tiêu trong một "
        "tệp riêng (bỏ hình ảnh, trang phụ) rồi nhập lại.",
        "File {name} is {size} MB, over the {limit} MB limit. Put the indicator table in a file "
        "of its own (without pictures or extra sheets) and import it again.",
    ),
    "import.too_many_parts": (
        "Tệp {name} gồm {count} phần nén, vượt giới hạn {limit}; tệp bị từ chối.",
        "File {name} holds {count} compressed parts, over the limit of {limit}; refused.",
    ),
    "import.zip_bomb": (
        "Tệp {name} bị từ chối vì giải nén ra quá lớn ({reason}); có thể là tệp độc hại. Hãy mở "
        "tệp bằng Word/Excel, lưu lại rồi nhập lại.",
        "File {name} is refused because it inflates too much ({reason}); it may be hostile. "
        "Open it in Word/Excel, save it again and re-import.",
    ),
    "import.unsafe_xml": (
        "Tệp {name} bị từ chối: phần {member} có khai báo DTD hoặc thực thể XML, điều Word/Excel "
        "không bao giờ ghi; có thể là tệp độc hại. Hãy mở bằng Word/Excel và lưu lại.",
        "File {name} is refused: part {member} declares a DTD or XML entities, which Word/Excel "
        "never write; it may be hostile. Open it in Word/Excel and save it again.",
    ),
    "import.unsafe_path": (
        "Tệp nén {name} bị từ chối: đường dẫn «{member}» trỏ ra ngoài thư mục giải nén. Hãy nén "
        "lại các tệp báo cáo trong một thư mục thông thường.",
        "Archive {name} is refused: path «{member}» points outside the extraction folder. "
        "Zip the report files again from an ordinary folder.",
    ),
    "import.macro": (
        "Tệp {name} có macro (.docm/.xlsm); parstat không chạy macro. Lưu lại tệp dưới dạng "
        ".docx hoặc .xlsx (không macro) rồi nhập lại.",
        "File {name} carries macros (.docm/.xlsm); parstat never runs macros. Save it as .docx "
        "or .xlsx (no macros) and import it again.",
    ),
    "import.legacy_format": (
        "Tệp {name} là định dạng {app} cũ ({old}), parstat không đọc được. Mở tệp bằng {app} và "
        "Lưu lại tệp dưới dạng {new} rồi nhập lại.",
        "File {name} is in the old {app} format ({old}), which parstat cannot read. Open it in "
        "{app}, save it as {new} and import it again.",
    ),
    "import.encrypted": (
        "Tệp {name} được bảo vệ bằng mật khẩu. Mở tệp, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ "
        "tài liệu), lưu lại rồi nhập lại.",
        "File {name} is protected by a password. Open it, remove the password (File → Info → "
        "Protect), save it and import it again.",
    ),
    "import.corrupt": (
        "Tệp {name} bị hỏng hoặc không đúng định dạng ({reason}). Mở lại tệp bằng Word/Excel, "
        "lưu lại rồi nhập lại.",
        "File {name} is damaged or not in the format it claims ({reason}). Open it in "
        "Word/Excel, save it again and re-import.",
    ),
    "import.unknown_format": (
        "Không nhận ra định dạng của tệp {name}. parstat đọc .docx, .xlsx, .csv (UTF-8) và văn "
        "bản tách bằng tab (.txt); hãy lưu bảng ở một trong các định dạng đó.",
        "Cannot tell the format of file {name}. parstat reads .docx, .xlsx, .csv (UTF-8) and "
        "tab-separated text (.txt); save the table in one of them.",
    ),
    "import.encoding": (
        "Tệp {name} không phải văn bản UTF-8 (byte thứ {position}). Trong Excel, chọn Lưu thành "
        "«CSV UTF-8 (Phân tách bằng dấu phẩy)» rồi nhập lại.",
        "File {name} is not UTF-8 text (byte {position}). In Excel, save as «CSV UTF-8 "
        "(Comma delimited)» and import it again.",
    ),
    "import.unit_unknown": (
        "Không xác định được đơn vị báo cáo của tệp {name}: {reason}. Hãy chỉ rõ --unit (xem "
        "«parstat units») hoặc đặt tên tệp theo mã đơn vị, ví dụ ST-SKHDT.docx.",
        "Cannot tell which unit file {name} reports for: {reason}. Give --unit (see «parstat "
        "units») or name the file after the unit code, e.g. ST-SKHDT.docx.",
    ),
    "import.period_unknown": (
        "Không xác định được kỳ báo cáo của tệp {name}: văn bản không ghi ngày báo cáo. Hãy chỉ "
        "rõ --period, ví dụ 2023Q1.",
        "Cannot tell the report period of file {name}: the document states no date. Give "
        "--period, e.g. 2023Q1.",
    ),
    "import.too_many_rows": (
        "Tệp {name} có {count} dòng, vượt giới hạn {limit} dòng của một bảng báo cáo; tệp bị "
        "từ chối. Hãy để riêng bảng chỉ tiêu của một báo cáo trong tệp rồi nhập lại.",
        "File {name} has {count} rows, over the limit of {limit} rows of one report table; "
        "refused. Put only the indicator table of one report in the file and import it again.",
    ),
    "import.table_ambiguous": (
        "Tệp {name} có nhiều bảng giống bảng chỉ tiêu với số dòng khớp gần bằng nhau ({choices}); "
        "hãy chọn bảng cần nhập (--table SỐ, hoặc chọn trong trang xem trước).",
        "File {name} holds several tables that look like the indicator table, matching about "
        "as many rows ({choices}); choose the one to import (--table N, or in the preview).",
    ),
    "import.table_invalid": (
        "Tệp {name} không có bảng số {wanted}; các bảng: {choices}.",
        "File {name} has no table {wanted}; its tables: {choices}.",
    ),
    "import.value_column_ambiguous": (
        "Tệp {name}: không xác định được cột nào là số liệu của kỳ {period} ({choices}); hãy "
        "chọn cột (--value-column SỐ, hoặc chọn trong trang xem trước).",
        "File {name}: cannot tell which column holds the values of period {period} "
        "({choices}); choose the column (--value-column N, or in the preview).",
    ),
    "import.value_column_invalid": (
        "Tệp {name}: cột {wanted} không phải cột số liệu; các cột số liệu: {choices}.",
        "File {name}: column {wanted} is not a value column; the value columns: {choices}.",
    ),
    "import.column_unmapped": (
        "Tệp {name}: phần bảng chứa dòng này (sau khi ngắt trang) không có cột «{column}» hoặc "
        "không nhận ra cột đó; giá trị không được nhập. Hãy lặp lại dòng tiêu đề bảng ở phần "
        "tiếp theo, hoặc chọn cột (--value-column).",
        "File {name}: the part of the table holding this row (after a page break) has no "
        "column «{column}», or it cannot be recognised; the value was not imported. Repeat the "
        "table's header row on the continuation, or choose the column (--value-column).",
    ),
    "import.period_mismatch": (
        "Tệp {name} ghi kỳ «{stated}» ({stated_code}) nhưng được nhập vào kỳ {period}; hãy kiểm "
        "tra lại kỳ báo cáo (nhập lô: --file-period {name}={stated_code} hoặc --accept-period "
        "{name}).",
        "File {name} states the period «{stated}» ({stated_code}) but is imported into period "
        "{period}; check the period (in a batch: --file-period {name}={stated_code} or "
        "--accept-period {name}).",
    ),
    "import.convention_assumed": (
        "Tệp {name} viết số theo kiểu tiếng Anh (ví dụ «{evidence}»): dấu phẩy ngăn cách hàng "
        "nghìn được hiểu như vậy ở các số đếm (2,000 = 2.000).",
        "File {name} writes numbers the English way (e.g. «{evidence}»): commas in counts are "
        "read as thousands separators (2,000 = 2.000).",
    ),
    "import.apply_locked": (
        "Báo cáo của {unit}, kỳ {period} đang ở trạng thái «{state}»: bản xem trước đầy đủ ở "
        "dưới, nhưng áp dụng sẽ bị từ chối; hãy đề nghị trả lại báo cáo để sửa trước.",
        "The report of {unit}, period {period} is «{state}»: the whole preview is below, but "
        "applying it would be refused; ask for the report to be returned for correction first.",
    ),
    "import.confirm_invalid": (
        "Không áp dụng được xác nhận gán dòng này cho chỉ tiêu «{code}»: {reason}.",
        "Cannot apply the confirmation of this row as indicator «{code}»: {reason}.",
    ),
    "import.batch_empty": (
        "Không có tệp báo cáo nào (.docx, .xlsx, .csv, .txt) trong {name}.",
        "There is no report file (.docx, .xlsx, .csv, .txt) in {name}.",
    ),
    "import.batch_duplicate": (
        "Tệp {name} là báo cáo thứ hai của đơn vị {unit} trong lô (đã nhập từ tệp {first}); "
        "tệp này không được nhập. Hãy bỏ tệp thừa hoặc chỉ rõ đơn vị trong tên tệp.",
        "File {name} is a second report of unit {unit} in the batch (already imported from "
        "{first}); it was not imported. Remove the extra file or name the unit in the file name.",
    ),
    # ---- the REST API (parstat/api) ----
    "auth.required": (
        "Cần mã truy cập API: gửi tiêu đề «Authorization: Bearer pst_…» (tạo mã bằng lệnh "
        "«parstat token create» hoặc ở trang mã truy cập của anh/chị).",
        "An API token is required: send «Authorization: Bearer pst_…» (make one with "
        "«parstat token create» or on your token page).",
    ),
    "auth.token_invalid": (
        "Mã truy cập API không hợp lệ.",
        "The API token is not valid.",
    ),
    "auth.token_revoked": (
        "Mã truy cập API {prefix}… đã bị thu hồi; hãy tạo mã mới.",
        "API token {prefix}… has been revoked; make a new one.",
    ),
    "token.not_yours": (
        "Anh/chị chỉ có thể thu hồi mã truy cập của chính mình.",
        "You may revoke only your own tokens.",
    ),
    "report.hidden": (
        "Không có báo cáo số {id}, hoặc anh/chị không được xem báo cáo này.",
        "There is no report {id}, or you may not see it.",
    ),
    "period.not_found": (
        "Chưa có kỳ báo cáo {code}. Quản trị viên tạo kỳ trên trang quản trị, hoặc chạy "
        "«parstat init --year {year}».",
        "There is no report period {code} yet. An administrator creates it on the admin "
        "pages, or runs «parstat init --year {year}».",
    ),
    "api.not_found": (
        "Không có địa chỉ API {path}. Xem danh sách tại /api/v1/docs.",
        "There is no API address {path}. See the list at /api/v1/docs.",
    ),
    "api.bad_request": (
        "Không đọc được yêu cầu: nội dung phải là JSON hợp lệ ({reason}).",
        "Cannot read the request: the body must be valid JSON ({reason}).",
    ),
    "api.invalid": (
        "Trường {field}: {reason_vi}.",
        "Field {field}: {reason_en}.",
    ),
    "api.invalid_many": (
        "Có {count} lỗi trong dữ liệu gửi lên; xem danh sách «errors».",
        "The request has {count} errors; see «errors».",
    ),
    "api.server_error": (
        "Lỗi máy chủ; lỗi đã được ghi lại để xử lý.",
        "Server error; it has been logged.",
    ),
    "values.invalid": (
        "Có {count} giá trị không hợp lệ; không giá trị nào được lưu.",
        "{count} values are not valid; nothing was stored.",
    ),
    "values.duplicate": (
        "Chỉ tiêu {code} có hai lần trong cùng yêu cầu (mục {first} và {index}).",
        "Indicator {code} appears twice in one request (items {first} and {index}).",
    ),
    "value.too_large": (
        "Chỉ tiêu {code} ({label}): «{text}» quá lớn để lưu (tối đa {digits} chữ số, tức "
        "999.999.999.999.999).",
        "Indicator {code} ({label}): «{text}» is too large to store (at most {digits} digits, "
        "i.e. 999.999.999.999.999).",
    ),
    "value.too_precise": (
        "Chỉ tiêu {code} ({label}): «{text}» có quá nhiều chữ số; hệ thống lưu tối đa "
        "{decimals} chữ số thập phân và {digits} chữ số tất cả. Hãy làm tròn rồi nhập lại "
        "(không tự làm tròn thay anh/chị).",
        "Indicator {code} ({label}): «{text}» has too many digits; at most {decimals} decimals "
        "and {digits} digits in all are stored. Round it and enter it again (it is never "
        "rounded for you).",
    ),
    "value.control_character": (
        "Nội dung của chỉ tiêu {code} có ký tự điều khiển không in được ({char}); hãy xóa ký "
        "tự đó rồi nhập lại.",
        "The text of indicator {code} holds a non-printing control character ({char}); remove "
        "it and enter it again.",
    ),
    "document.field_too_long": (
        "Thông tin văn bản («{field_vi}») dài quá {limit} ký tự: «{text}».",
        "The document's {field_en} is longer than {limit} characters: «{text}».",
    ),
    "document.control_character": (
        "Thông tin văn bản («{field_vi}») có ký tự điều khiển không in được ({char}).",
        "The document's {field_en} holds a non-printing control character ({char}).",
    ),
    "records.empty": (
        "Tệp {name} không có dòng dữ liệu nào (cần một dòng tiêu đề và các dòng bên dưới).",
        "File {name} holds no records (a header row and rows below it are needed).",
    ),
    "records.unknown_column": (
        "Tệp {name}, dòng {line}: không biết cột «{header}». Các cột dùng được: {columns}.",
        "File {name}, row {line}: unknown column «{header}». The columns are: {columns}.",
    ),
    "records.repeated_column": (
        "Tệp {name}: cột «{header}» có hai lần.",
        "File {name}: column «{header}» appears twice.",
    ),
    "records.missing_column": (
        "Tệp {name} thiếu cột bắt buộc: {columns}.",
        "File {name} lacks the required columns: {columns}.",
    ),
    "records.too_many": (
        "Tệp {name} có {count} dòng, quá giới hạn {limit} dòng.",
        "File {name} has {count} rows, more than the limit of {limit}.",
    ),
    "records.bad_date": (
        "Không đọc được ngày «{text}»: hãy viết dd/mm/yyyy, ví dụ 01/07/2025.",
        "Cannot read the date «{text}»: write dd/mm/yyyy, e.g. 01/07/2025.",
    ),
    "units.bad_kind": (
        "Không biết loại đơn vị «{text}». Các loại: {kinds}.",
        "Unknown unit kind «{text}». The kinds are: {kinds}.",
    ),
    "units.repeated": (
        "Mã đơn vị {code} đã có ở dòng {first} của cùng tệp.",
        "Unit code {code} is already given at row {first} of the same file.",
    ),
    "units.bad_code": (
        "Mã đơn vị «{text}» không hợp lệ: chỉ dùng chữ không dấu, số, dấu chấm, gạch ngang, "
        "gạch dưới (tối đa 40 ký tự), ví dụ ST-SKHDT.",
        "Unit code «{text}» is not valid: use unaccented letters, digits, «.», «-», «_» (at "
        "most 40), e.g. ST-SKHDT.",
    ),
    "units.bad_name": (
        "Đơn vị {code}: tên trống hoặc dài quá 300 ký tự.",
        "Unit {code}: the name is empty or longer than 300 characters.",
    ),
    "units.bad_validity": (
        "Đơn vị {code}: ngày hết hiệu lực trước ngày bắt đầu hiệu lực.",
        "Unit {code}: its validity ends before it starts.",
    ),
    "units.bad_email": (
        "Đơn vị {code}: «{text}» không phải địa chỉ thư điện tử.",
        "Unit {code}: «{text}» is not an e-mail address.",
    ),
    "units.bad_phone": (
        "Đơn vị {code}: «{text}» không phải số điện thoại.",
        "Unit {code}: «{text}» is not a telephone number.",
    ),
    "units.self_link": (
        "Đơn vị {code} không thể là cấp trên hay đơn vị kế thừa của chính nó.",
        "Unit {code} cannot be its own parent or successor.",
    ),
    "units.unknown_link": (
        "Đơn vị {code}: không có đơn vị mã {target}, trong hệ thống cũng như trong tệp.",
        "Unit {code}: there is no unit {target}, neither registered nor in the file.",
    ),
    "units.cycle": (
        "Đơn vị {code}: chuỗi {link} quay vòng lại chính nó.",
        "Unit {code}: its {link} chain comes back to itself.",
    ),
    "units.merge_nothing": (
        "Cần ít nhất một đơn vị để sáp nhập.",
        "At least one unit to merge is needed.",
    ),
    "units.merge_into_itself": (
        "Đơn vị {code} không thể sáp nhập vào chính nó.",
        "Unit {code} cannot be merged into itself.",
    ),
    "units.already_merged": (
        "Đơn vị {code} đã sáp nhập vào {successor}.",
        "Unit {code} is already merged into {successor}.",
    ),
    "units.merge_before_start": (
        "Đơn vị {code} bắt đầu hoạt động từ ngày {day} trở về sau: không thể sáp nhập từ ngày đó.",
        "Unit {code} starts on or after {day}: it cannot be merged from that day.",
    ),
    "units.merge_target_closed": (
        "Đơn vị {code} không còn (hoặc chưa có) hiệu lực vào ngày {day}.",
        "Unit {code} is not valid on {day}.",
    ),
    "users.bad_username": (
        "Tên đăng nhập «{text}» không hợp lệ: chữ không dấu, số và @ . + - _ (tối đa 150).",
        "Username «{text}» is not valid: unaccented letters, digits and @ . + - _ (at most 150).",
    ),
    "users.bad_email": (
        "Người dùng {username}: «{text}» không phải địa chỉ thư điện tử.",
        "User {username}: «{text}» is not an e-mail address.",
    ),
    "users.unknown_unit": (
        "Người dùng {username}: không có đơn vị mã {unit}.",
        "User {username}: there is no unit {unit}.",
    ),
    "users.bad_role": (
        "Người dùng {username}: không biết vai trò «{text}». Các vai trò: {roles}.",
        "User {username}: unknown role «{text}». The roles are: {roles}.",
    ),
    "users.disagreeing_rows": (
        "Người dùng {username}: {field_vi} ở dòng này khác dòng {first}.",
        "User {username}: the {field_en} differs from row {first}.",
    ),
    "users.repeated_role": (
        "Người dùng {username} đã có vai trò {role} tại {unit} ở dòng {first}.",
        "User {username} already has role {role} at {unit} at row {first}.",
    ),
    "datavalues.duplicate": (
        "Giá trị của {unit}, kỳ {period}, chỉ tiêu {code} đã có ở mục {first} của cùng "
        "lần gửi.",
        "The value of {unit}, period {period}, indicator {code} is already given at item "
        "{first} of the same payload.",
    ),
    "datavalues.conflicts": (
        "Có {count} giá trị bị từ chối nên không giá trị nào được lưu (atomic=true). Xem "
        "«conflicts»; gửi với atomic=false để lưu các giá trị không bị từ chối.",
        "{count} values were refused, so nothing was stored (atomic=true). See «conflicts»; send "
        "with atomic=false to store the values that were not refused.",
    ),
    "backup.target_not_empty": (
        "Cơ sở dữ liệu đích {database} đã có {tables} bảng; chỉ khôi phục vào cơ sở dữ liệu "
        "trống, hoặc thêm --force để ghi đè toàn bộ.",
        "The target database {database} already has {tables} tables; restore only into an "
        "empty database, or add --force to overwrite all of it.",
    ),
    "backup.unknown_format": (
        "Tệp {path} không phải bản sao lưu của parstat (SQLite hoặc pg_dump dạng custom).",
        "{path} is not a parstat backup (SQLite or pg_dump custom format).",
    ),
    "backup.wrong_database": (
        "Tệp {path} là bản sao lưu {kind}, nhưng cơ sở dữ liệu đích là {target}.",
        "{path} is a {kind} backup, but the target database is {target}.",
    ),
    "backup.migrations_differ": (
        "Bản sao lưu {path} được tạo với cấu trúc dữ liệu khác phiên bản parstat này "
        "({detail}); hãy khôi phục bằng đúng phiên bản đã sao lưu.",
        "The backup {path} was made with another data structure than this parstat version "
        "({detail}); restore it with the version that made it.",
    ),
    "backup.tool_failed": (
        "{tool} báo lỗi (mã {status}): {detail}",
        "{tool} failed (status {status}): {detail}",
    ),
}


# The actions a message may name ({action}) in both languages. Callers pass the action's name
# ("edit") or its Vietnamese verb ("sửa"); each language's message gets its own verb, so an
# English message never carries a Vietnamese word ("You may not sửa this report").
ACTION_VERBS: dict[str, tuple[str, str]] = {
    "view": ("xem", "view"), "edit": ("sửa", "edit"), "submit": ("gửi", "submit"),
    "accept": ("tiếp nhận", "accept"), "return": ("trả lại", "return"),
    "reopen": ("mở lại", "reopen"),
}
_VERB_PAIRS = {**{vi: (vi, en) for vi, en in ACTION_VERBS.values()}, **ACTION_VERBS}


def _in_language(params: dict[str, Any], index: int) -> dict[str, Any]:
    """``params`` with the action said in the language of message ``index`` (0 vi, 1 en)."""
    pair = _VERB_PAIRS.get(str(params.get("action", "")))
    return {**params, "action": pair[index]} if pair else params


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
        text = MESSAGES[self.code][index].format(**_in_language(self.params, index))
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

    @property
    def localized(self) -> str:
        """The message in the language of the current request (Vietnamese unless English)."""
        from django.utils.translation import get_language

        return self.message_en if (get_language() or "vi").startswith("en") else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row, "indicator": self.indicator,
                "message": self.message, "message_en": self.message_en}
