"""Checks a file passes before any library parses it: size, zip bombs, XML entities, paths.

python-docx and openpyxl hand the XML inside a .docx/.xlsx to lxml, which would expand entities
and follow a DTD, and they trust the sizes a zip declares. So every package is inspected here
first, with the standard library and defusedxml only:

- the file itself is at most ``MAX_FILE_BYTES``;
- a package holds at most ``MAX_MEMBERS`` parts, whose declared uncompressed sizes add up to at
  most ``MAX_UNCOMPRESSED_BYTES``, and no large part inflates more than ``MAX_RATIO`` times
  (Python's zipfile never yields more than the declared size, so declared sizes are binding);
- no XML part has a DOCTYPE or an entity declaration (Office never writes one; a billion-laughs
  file needs one), checked with defusedxml on the part's prolog, where a DTD must stand;
- no part name is absolute or climbs out with ``..`` (a batch .zip is read in memory, never
  extracted, but such a name is itself the mark of a hostile archive).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from parstat.errors import ParstatError

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB  # one report file: the seed's table as .docx is ~40 KB
MAX_BATCH_BYTES = 200 * MB  # a batch .zip of a province's files
MAX_UNCOMPRESSED_BYTES = 100 * MB  # what one .docx/.xlsx may inflate to
MAX_BATCH_UNCOMPRESSED_BYTES = 500 * MB
MAX_MEMBERS = 5000  # parts of a .docx/.xlsx; a plain table has ~15
MAX_BATCH_FILES = 1000
MAX_RATIO = 100  # XML compresses 5–20×; 100× only from padding built to explode
RATIO_FROM_BYTES = 1 * MB  # small parts may compress very well without harm
PROLOG_CHUNK = 4096

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    file_bytes: int = MAX_FILE_BYTES
    uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES
    members: int = MAX_MEMBERS


PACKAGE = Limits()
BATCH = Limits(MAX_BATCH_BYTES, MAX_BATCH_UNCOMPRESSED_BYTES, MAX_BATCH_FILES)


def check_size(size: int, name: str, limit: int = MAX_FILE_BYTES) -> None:
    if size > limit:
        raise ParstatError("import.too_large", name=name, size=_mb(size), limit=_mb(limit))


def _mb(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def is_zip(data: bytes) -> bool:
    return data[:4] in (ZIP_MAGIC, EMPTY_ZIP_MAGIC)


def open_zip(data: bytes, name: str, limits: Limits = PACKAGE) -> zipfile.ZipFile:
    """The archive, once its declared sizes, ratios, part names and encryption are acceptable."""
    check_size(len(data), name, limits.file_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise ParstatError("import.corrupt", name=name, reason=str(error)) from None
    if len(members) > limits.members:
        raise ParstatError("import.too_many_parts", name=name, count=len(members),
                           limit=limits.members)
    total = 0
    for member in members:
        _check_member(member, name)
        total += member.file_size
    if total > limits.uncompressed_bytes:
        raise ParstatError("import.zip_bomb", name=name, reason="zip.total",
                           total_mb=_mb(total), limit_mb=_mb(limits.uncompressed_bytes))
    return archive


def _check_member(member: zipfile.ZipInfo, name: str) -> None:
    if unsafe_path(member.filename):
        raise ParstatError("import.unsafe_path", name=name, member=member.filename)
    if member.flag_bits & 0x1:
        raise ParstatError("import.encrypted", name=name)
    inflated, packed = member.file_size, max(member.compress_size, 1)
    if inflated > RATIO_FROM_BYTES and inflated / packed > MAX_RATIO:
        raise ParstatError("import.zip_bomb", name=name, reason="zip.ratio",
                           member=member.filename, ratio=inflated // packed, limit=MAX_RATIO)


def unsafe_path(member: str) -> bool:
    if "\x00" in member:
        return True
    for path in (PurePosixPath(member), PureWindowsPath(member)):
        if path.is_absolute() or path.drive or ".." in path.parts:
            return True
    return False


def check_package_xml(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse any XML part of a .docx/.xlsx that declares a DTD or entities."""
    for member in archive.infolist():
        if member.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(member) as stream:
                _check_prolog(stream, name, member.filename)


class _RootReached(Exception):
    pass


class _StopAtRoot:
    """Parser target: the first element ends the prolog, and with it the place for a DTD."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def _check_prolog(stream: IO[bytes], name: str, member: str) -> None:
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        while chunk := stream.read(PROLOG_CHUNK):
            parser.feed(chunk)
        parser.close()
    except _RootReached:
        return
    except DefusedXmlException:
        raise ParstatError("import.unsafe_xml", name=name, member=member) from None
    except Exception as error:  # expat's ParseError: the part is not XML at all
        raise ParstatError("import.corrupt", name=name, reason="corrupt.not_xml",
                           member=member, detail=str(error)) from None


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes, never more than it declared (checked by :func:`open_zip`)."""
    try:
        with archive.open(member) as stream:
            return stream.read()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ParstatError("import.corrupt", name=name,
                           reason=f"{member.filename}: {error}") from None
