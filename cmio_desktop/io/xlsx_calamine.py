"""The fast path of reading a worksheet: python-calamine (Rust), only where that is provably
the same as :mod:`.xlsx_cells` and safe; ``None`` everywhere else (the caller streams with expat).

python-calamine reads about three times faster than our expat reader but differs on some
cells and does not stream, so it is used only after these checks, all on bytes:

* **Memory bounded**: the archive's parts add up to at most :data:`FAST_PATH_BYTES` once
  decompressed, and every part's compressed data is inflated here (zlib, stopping one byte
  past its declared size) and must give exactly its declared size and CRC, so calamine's own
  decompression cannot run past what was measured (a zip whose headers lie is left to the
  expat path, which refuses it). The sheet's rows and columns are counted from its XML first,
  and the dense grid calamine builds must stay within :data:`FAST_PATH_CELLS`: two cells far
  apart cannot make it allocate millions.
* **Entities**: every part was already checked for a DTD (:mod:`.read_xlsx`); calamine's XML
  parser does not expand entities either.
* **Cell-exact agreement**: calamine turns every number into a float, error cells into blanks,
  date cells into ``date``/``datetime`` by rules of its own, both blank cells and empty text
  into ``""``, and trims the spaces around text not marked ``xml:space="preserve"``. So the
  fast path declines any sheet with error, boolean or ISO date cells, a cell styled with a
  date or duration format, an empty text, a number written with a point or exponent that is
  whole (``3.0``: openpyxl keeps it a float), a whole number too long for a float's 53 bits,
  a ``<v>`` that is not a plain number (a formula's text result), phonetic runs,
  ``_xHHHH_`` escapes, control characters (or references to them), carriage returns, text calamine
  would trim, rows out of order or without a number, cells without a reference, a row whose
  first cell names another row, columns beyond ZZ, or namespace-prefixed sheet elements; and,
  after calamine has read, any date or time it produced (a number format it reads as a date
  and openpyxl does not).
  What is left (what Excel, LibreOffice and openpyxl write for text and number tables such
  as a register) reads the same: ``""`` is a blank, a whole float is an ``int``.

``tests/unit/io/test_xlsx_calamine.py`` compares both readers on every fixture workbook.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from cmio_desktop.io.tabular import CellValue

FAST_PATH_BYTES = 256 * 1024**2
"""Largest decompressed archive read with calamine (it holds the whole sheet in memory)."""
FAST_PATH_CELLS = 8_000_000
"""Largest dense grid (rows × columns, blanks included) read with calamine."""

_CHUNK = 1 << 20
_TEMPORAL = frozenset({date, datetime, time, timedelta})
Xml = bytes | bytearray
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # the 30 fixed bytes of a local file header

# Whatever calamine reads differently from openpyxl (see the module docstring).
# Text elements: ``<t>`` or ``<t xml:space="preserve">`` holding text (calamine trims the
# spaces around the first kind's text and reads an empty one as a blank), inline strings
# holding runs or text. One pass each: the sheet may be 100 MB.
_ODD_TEXT = rb'<t(?:>[\s<]|/>|\s(?!xml:space="preserve">)|\sxml:space="preserve"></t>)'
_ODD_INLINE = rb"<is(?!><[tr][\s>])"
_TRIMMED = re.compile(rb"<t>[^<]*[ \t\n]</t>")
_DECLINE_SHEET = [
    re.compile(pattern)
    for pattern in (
        rb"""=\s*["'][edb]["']""",  # error, ISO date and boolean cells (t="e" …)
        rb"<rPh\b",  # phonetic runs
        rb"_x[0-9A-Fa-f]{4}_",  # escaped characters
        _ODD_TEXT,
        _ODD_INLINE,
        rb"<v>(?:[^\d\-<]|-[^\d]|-?\d+[^\d.eE<]|[+-]?\d{16})",  # not a plain number; too long
        rb"<[A-Za-z_][\w.\-]*:(?:worksheet|sheetData|row|c|v|is|t|r|f)[\s>/]",  # prefixed
        rb'<row(?! r="\d)',  # a row without a number (or another attribute first)
        rb'<c(?=[\s>/])(?! r="[A-Z])',  # a cell without a reference (or another one first)
    )
]
_DECLINE_STRINGS = [
    re.compile(pattern)
    for pattern in (rb"<rPh\b|_x[0-9A-Fa-f]{4}_", _ODD_TEXT, rb"<si(?!><[tr][\s>])")
]
# Control characters (XML forbids them: expat refuses the sheet, calamine reads them) and
# carriage returns (XML parsers normalise line ends differently): deleting every other byte
# leaves nothing in an acceptable part, at C speed.
_NOT_DECLINED_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (0x09, 0x0A))
_CHARACTER_REFERENCE = re.compile(rb"&#(x[0-9A-Fa-f]{1,8}|[0-9]{1,10});")
_POINTED = re.compile(rb"<v>([^<]*[.eE][^<]*)</v>")
_PLAIN_DECIMAL = re.compile(r"-?\d*\.\d+(?:[eE][+-]?\d+)?|-?\d+[eE][+-]?\d+")
_ROW_NUMBERS = re.compile(rb'<row r="(\d{1,7})"')
_ROW_AND_FIRST_CELL = re.compile(rb'<row r="(\d{1,7})"[^>]*>\s*<c r="[A-Z]{1,2}(\d{1,7})"')
_TWO_LETTERS = re.compile(rb'<c r="[A-Z]{2}')
_THREE_LETTERS = re.compile(rb'<c r="[A-Z]{3}')
_TWO_LETTER_COLUMNS = re.compile(rb'<c r="([A-Z]{2})\d')


def calamine_rows(
    path: Path, worksheet: Any, max_rows: int
) -> Iterator[tuple[int, list[CellValue]]] | None:
    """The rows :func:`.xlsx_cells.iter_sheet_values` gives for ``worksheet`` (an openpyxl
    read-only worksheet of the workbook at ``path``), read by calamine; ``None`` when the
    fast path cannot prove that (see the module docstring) or calamine is not installed."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a runtime dependency
        return None
    book = worksheet.parent
    sheet_part = worksheet._worksheet_path.lstrip("/")
    parts = _verified_parts(path, sheet_part)
    if parts is None:
        return None
    sheet_xml, strings_xml = parts
    del parts  # the XML is freed before calamine reads it again
    if strings_xml is not None and not _plain_text(strings_xml, _DECLINE_STRINGS):
        return None
    date_styles = set(book._date_formats)
    if not _plain_sheet(sheet_xml, date_styles, max_rows):
        return None
    del sheet_xml, strings_xml
    try:
        calamine_book = CalamineWorkbook.from_path(str(path))
        try:
            sheet = calamine_book.get_sheet_by_name(worksheet.title)
            start_row, start_column = sheet.start or (0, 0)
            grid = sheet.to_python(skip_empty_area=True)
        finally:
            calamine_book.close()
    except Exception:  # noqa: BLE001 - anything calamine cannot read goes to expat instead
        return None
    if any(not _TEMPORAL.isdisjoint(map(type, row)) for row in grid):
        return None  # a number format calamine reads as a date and openpyxl does not
    return _rows(grid, start_row, start_column)


def _rows(
    grid: list[list[Any]], start_row: int, start_column: int
) -> Iterator[tuple[int, list[CellValue]]]:
    lead: list[CellValue] = [None] * start_column
    for offset in range(len(grid)):
        raw, grid[offset] = grid[offset], None  # calamine's row is freed as ours is made
        values = [
            None if v == "" else int(v) if v.__class__ is float and v.is_integer() else v
            for v in raw
        ]
        while values and values[-1] is None:
            values.pop()
        if values:
            yield start_row + offset + 1, lead + values if start_column else values


def _plain_sheet(xml: Xml, date_styles: set[int], max_rows: int) -> bool:
    """True when the sheet holds only cells both readers read alike, in a grid that is small."""
    if b"<worksheet" not in xml[:4096] or not _plain_text(xml, _DECLINE_SHEET):
        return False
    if date_styles:
        if 0 in date_styles:
            return False  # a cell without a style would be a date
        styles = b"|".join(str(s).encode() for s in sorted(date_styles))
        if re.search(rb"""\ss\s*=\s*["']0*(?:""" + styles + rb""")["']""", xml):
            return False
    for text in _POINTED.findall(xml):
        decoded = text.decode("ascii", "replace")
        if not _PLAIN_DECIMAL.fullmatch(decoded) or float(decoded).is_integer():
            return False
    numbers = [int(n) for n in _ROW_NUMBERS.findall(xml)]
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        return False
    if any(row != cell for row, cell in _ROW_AND_FIRST_CELL.findall(xml)):
        return False
    if not numbers:
        return True
    width = 26
    if _TWO_LETTERS.search(xml):
        if _THREE_LETTERS.search(xml):
            return False  # beyond column ZZ
        width = max(_column(letters) for letters in set(_TWO_LETTER_COLUMNS.findall(xml)))
    height = numbers[-1] - numbers[0] + 1
    return height * width <= FAST_PATH_CELLS and len(numbers) <= 2 * max_rows + 1


def _plain_text(xml: Xml, declines: list[re.Pattern[bytes]]) -> bool:
    """No declined construct, and character references only to printable characters (both
    parsers decode those alike; control characters and the rest may not be)."""
    if xml.translate(None, _NOT_DECLINED_BYTES) or any(p.search(xml) for p in declines):
        return False
    if _TRIMMED.search(xml):
        return False
    if b"&#" not in xml:
        return True
    refs = _CHARACTER_REFERENCE.findall(xml)
    if len(refs) != xml.count(b"&#"):
        return False  # a malformed reference: expat refuses it
    for ref in set(refs):
        code = int(ref[1:], 16) if ref[:1] == b"x" else int(ref)
        if code < 0x20 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or code > 0x10FFFF:
            return False
    return True


def _column(letters: bytes) -> int:
    return (letters[0] - 64) * 26 + letters[1] - 64


def _verified_parts(path: Path, sheet_part: str) -> tuple[Xml, Xml | None] | None:
    """The sheet's XML and the shared strings', after checking that every part of the archive
    decompresses to exactly its declared size and CRC; ``None`` if any does not, or the
    archive is too big for the fast path."""
    try:
        with zipfile.ZipFile(path) as archive, path.open("rb") as raw:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > FAST_PATH_BYTES:
                return None
            names = [info.filename for info in infos]
            strings = [n for n in names if n.rsplit("/", 1)[-1].lower() == "sharedstrings.xml"]
            if len(set(names)) != len(names) or len(strings) > 1 or sheet_part not in names:
                return None
            sheet_xml: Xml | None = None
            strings_xml: Xml | None = None
            for info in infos:
                keep = info.filename == sheet_part or info.filename in strings
                data = _inflate_exactly(raw, info, keep)
                if data is None:
                    return None
                if info.filename == sheet_part:
                    sheet_xml = data
                elif keep:
                    strings_xml = data
    except (OSError, zipfile.BadZipFile, zlib.error, struct.error, ValueError):
        return None
    return (sheet_xml, strings_xml) if sheet_xml is not None else None


def _inflate_exactly(raw: Any, info: zipfile.ZipInfo, keep: bool) -> bytearray | None:
    """The part's bytes (none unless ``keep``) if its data inflates to exactly its declared
    size and CRC, else ``None``. Never produces more than the declared size plus one byte."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None  # encrypted, or a method calamine and zipfile may treat differently
    raw.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
    signature, _version, flags, method, _time, _date, crc, compressed, size, name_len, extra = (
        header
    )
    if signature != b"PK\x03\x04" or method != info.compress_type:
        return None
    declared = (info.compress_size, info.file_size, info.CRC)
    if (
        not flags & 0x8
        and 0xFFFFFFFF not in (compressed, size)
        and (compressed, size, crc) != declared
    ):
        return None  # the local header disagrees with the central directory
    raw.seek(name_len + extra, 1)
    limit, left, total, checksum = info.file_size, info.compress_size, 0, 0
    kept = bytearray(limit if keep else 0)  # filled in place: no second copy of a 100 MB part
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left:
        chunk = raw.read(min(left, _CHUNK))
        if not chunk:
            return None
        left -= len(chunk)
        while chunk:
            if inflater is None:
                out, chunk = chunk, b""
            else:
                out = inflater.decompress(chunk, limit - total + 1)
                chunk = inflater.unconsumed_tail
            total += len(out)
            if total > limit:
                return None
            checksum = zlib.crc32(out, checksum)
            if keep:
                kept[total - len(out) : total] = out
    if inflater is not None:
        out = inflater.flush()
        total += len(out)
        if total > limit:
            return None
        checksum = zlib.crc32(out, checksum)
        if keep:
            kept[total - len(out) : total] = out
        if not inflater.eof:
            return None
    if total != limit or checksum != info.CRC:
        return None
    return kept
