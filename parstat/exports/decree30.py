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
