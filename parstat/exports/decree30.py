"""A whole report as a Decree 30/2020/NĐ-CP document: its fixed words and the shape the .docx
and .pdf writers read (:class:`ReportDocument`), as :class:`parstat.exports.table.ReportTable`
is the shape of its appendix. :mod:`parstat.narrative.document` fills it from the database."""

from __future__ import annotations

from dataclasses import dataclass

from parstat.exports.table import ReportTable

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # Tiêu ngữ
DRAFT_MARK = "DỰ THẢO"  # on every document not accepted yet
UNSET = "……"  # printed where a fact is not given yet: never guessed
SIGNATURE_HINT = "(Ký, ghi rõ họ tên, đóng dấu)"
RECIPIENTS = "Nơi nhận:"
# The solid rules of the heading, drawn as em dashes (1 em each in Times New Roman and Liberation
# Serif): under the issuer's name a third to a half of it; under the motto exactly its length
# (12 em at 13 pt bold, some 55 mm); under the summary line a third to a half of that line.
ISSUER_RULE = "—" * 3
MOTTO_RULE = "—" * 12
SUMMARY_RULE = "—" * 10

# The issuer's name in the heading's left column (about 64 mm at 12 pt bold) holds some 24
# capitals to a line; a longer name is broken before its place ("ỦY BAN NHÂN DÂN / TỈNH SÓC
# TRĂNG", as Decree 30's forms print a People's Committee), never inside the place's name.
ISSUER_LINE_CHARS = 24
PLACES = ("TỈNH ", "THÀNH PHỐ ", "HUYỆN ", "QUẬN ", "THỊ XÃ ", "XÃ ", "PHƯỜNG ", "ĐẶC KHU ")


def issuer_lines(issuer: str) -> list[str]:
    """The issuer's name as the lines of the heading block: broken before its last place
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI / TỈNH SÓC TRĂNG") when it is too long for one line."""
    if len(issuer) <= ISSUER_LINE_CHARS:
        return [issuer]
    starts = [at for at in range(1, len(issuer)) if issuer[at - 1] == " "
              and issuer.startswith(PLACES, at) and not issuer.startswith("XÃ HỘI", at)
              and not issuer[:at].endswith("THỊ ")]
    if not starts:
        return [issuer]
    return [issuer[:starts[-1]].rstrip(), issuer[starts[-1]:]]


@dataclass(frozen=True)
class DocumentBlock:
    kind: str  # "p" a paragraph, "li" a list item
    text: str


@dataclass(frozen=True)
class DocumentSection:
    heading: str
    level: int
    blocks: list[DocumentBlock]


@dataclass(frozen=True)
class ReportDocument:
    governing_body: str  # "UBND TỈNH SÓC TRĂNG": the issuer's direct superior, "" if none
    issuer: str  # "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH SÓC TRĂNG"
    number_line: str  # "Số: 81/BC-SKHĐT"
    place_date_line: str  # "Sóc Trăng, ngày 17 tháng 3 năm 2023"
    title: str  # "BÁO CÁO"
    summary: str
    sections: list[DocumentSection]
    recipients: list[str]
    signer_title: str
    signer_name: str
    draft: bool  # not accepted: every page says DỰ THẢO
    synthetic: bool
    table: ReportTable

    @property
    def mark(self) -> str:
        """What every page of a document not yet accepted says, "" once accepted."""
        return DRAFT_MARK if self.draft else ""
