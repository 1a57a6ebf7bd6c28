"""One entry for every file format: the bytes decide the reader, not the name.

Offices rename files freely (a .xls that is really HTML, a .doc that is really .docx), so the
content is sniffed: a zip package is a .docx or an .xlsx by the parts it holds, an OLE compound
file is an old binary .doc/.xls or an encrypted Office file, and anything else must be UTF-8
(or UTF-16, Excel's "Unicode text") text: tab-separated or CSV. Every package passes
:mod:`parstat.imports.safety` before a library sees it.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from parstat.errors import ParstatError
from parstat.imports.csvfile import csv_table
from parstat.imports.docx import read_docx_table
from parstat.imports.grid import check_row_count
from parstat.imports.rows import FileTable
from parstat.imports.safety import OLE_MAGIC, check_package_xml, check_size, is_zip, open_zip
from parstat.imports.text import decode_text, tab_table
from parstat.imports.xlsx import read_xlsx_table

MACRO_PARTS = ("vbaProject.bin", "vbaData.xml")
MACRO_CONTENT = b"macroEnabled"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
BINARY_SNIFF = 8192


def read_upload(data: bytes, name: str) -> FileTable:
    """The indicator table of a file given as bytes and its name (an upload, a zip member)."""
    check_size(len(data), name)
    if is_zip(data):
        return _read_package(data, name)
    if data.startswith(OLE_MAGIC):
        raise _compound_file_error(data, name)
    if data.startswith(b"{\\rtf"):
        raise ParstatError("import.legacy_format", name=name, app="Word", old="RTF", new=".docx")
    if data.startswith(UTF16_BOMS):
        return _text_table(data.decode("utf-16"), name)
    if b"\x00" in data[:BINARY_SNIFF]:
        raise ParstatError("import.unknown_format", name=name)
    return _text_table(decode_text(data, name), name)


def _read_package(data: bytes, name: str) -> FileTable:
    archive = open_zip(data, name)
    parts = set(archive.namelist())
    if _has_macros(archive, parts):
        raise ParstatError("import.macro", name=name)
    if "word/document.xml" in parts:
        check_package_xml(archive, name)
        return read_docx_table(data, name)
    if "xl/workbook.xml" in parts:
        check_package_xml(archive, name)
        return read_xlsx_table(data, name)
    if PurePath(name).suffix.lower() in (".docx", ".xlsx"):
        raise ParstatError("import.corrupt", name=name, reason="corrupt.no_main_part")
    raise ParstatError("import.unknown_format", name=name)


def _has_macros(archive: zipfile.ZipFile, parts: set[str]) -> bool:
    # A macro-enabled package says so in its content types and carries a vbaProject part;
    # neither library would run it, but the user should save a clean copy rather than trust it.
    if any(PurePath(part).name in MACRO_PARTS for part in parts):
        return True
    if "[Content_Types].xml" in parts:
        return MACRO_CONTENT in archive.read("[Content_Types].xml")
    return False


def _compound_file_error(data: bytes, name: str) -> ParstatError:
    # Stream names in an OLE directory are UTF-16: an encrypted .docx/.xlsx is an OLE file
    # with an "EncryptionInfo" stream; Word 97–2003 has "WordDocument"; Excel has "Workbook".
    if "EncryptionInfo".encode("utf-16-le") in data:
        return ParstatError("import.encrypted", name=name)
    if "WordDocument".encode("utf-16-le") in data:
        return ParstatError("import.legacy_format", name=name, app="Word", old=".doc",
                            new=".docx")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return ParstatError("import.legacy_format", name=name, app="Excel", old=".xls",
                            new=".xlsx")
    return ParstatError("import.unknown_format", name=name)


def _text_table(text: str, name: str) -> FileTable:
    """Tab-separated (split as is, as Word copies it) when the header line has tabs, else CSV.
    The number of lines is checked first: a huge file is refused before it is split."""
    check_row_count(text.count("\n"), name)
    header_line = next((line for line in text.splitlines()[:200]
                        if line.strip().casefold().startswith(("stt", '"stt'))), "")
    return tab_table(text, name) if "\t" in header_line else csv_table(text, name)
