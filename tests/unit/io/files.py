"""Build real test files (workbooks, CSVs, hostile containers) in a temporary folder."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl

SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET1 = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    sheet: str = "Staff",
    extra_sheets: Sequence[str] = (),
    start_row: int = 1,
) -> Path:
    """An .xlsx whose first sheet holds ``rows`` from ``start_row``; ``None`` leaves a cell empty.

    Text starting with "=" is written as text, not as a formula.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    for name in extra_sheets:
        book.create_sheet(name)
    book.save(path)
    return path


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of a ZIP container in place (``change(b"")`` adds a missing part)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[member] = change(parts.get(member, b""))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def with_shared_strings(path: Path, sst: bytes) -> Path:
    """Make the first sheet's A1 refer to shared string 0 of a ``sharedStrings.xml`` = ``sst``.

    (openpyxl writes text inline, so a shared-strings part has to be wired in by hand.)
    """
    wire_shared_strings(path, sst)
    return rewrite_member(
        path,
        SHEET1,
        lambda xml: re.sub(
            rb"<sheetData>.*</sheetData>",
            b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
            xml,
        ),
    )


def wire_shared_strings(path: Path, sst: bytes) -> Path:
    """Add (or replace) the workbook's ``sharedStrings.xml`` part."""
    rewrite_member(path, SHARED_STRINGS, lambda _: sst)
    return rewrite_member(
        path,
        "[Content_Types].xml",
        lambda xml: (
            xml
            if b"sharedStrings" in xml
            else xml.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        ),
    )


_INLINE_CELL = re.compile(
    rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>'
)


def to_shared_strings(path: Path) -> Path:
    """Move the first sheet's plain inline strings to a shared-strings part, as Excel does."""
    strings: list[bytes] = []

    def share(match: re.Match[bytes]) -> bytes:
        strings.append(match.group(3))
        return b'<c %st="s"%s><v>%d</v></c>' % (match.group(1), match.group(2), len(strings) - 1)

    rewrite_member(path, SHEET1, lambda xml: _INLINE_CELL.sub(share, xml))
    items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in strings)
    sst = b'<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (
        MAIN_NS.encode(),
        len(strings),
        len(strings),
        items,
    )
    return wire_shared_strings(path, sst)


def excel_shaped(path: Path) -> Path:
    """Give an openpyxl-written workbook the shape Excel saves: shared strings and a declared
    ``<dimension>`` before the rows (so openpyxl does not scan the sheet for its size)."""
    to_shared_strings(path)

    def declare(xml: bytes) -> bytes:
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml, count=1)
        refs = re.findall(rb'<c r="([A-Z]+)(\d+)"', xml)
        width = max((len(c), c) for c, _ in refs)[1] if refs else b"A"
        height = max(int(r) for _, r in refs) if refs else 1
        ref = b'<dimension ref="A1:%s%d"/>' % (width, height)
        return re.sub(rb"(</sheetPr>|<sheetPr/>)", rb"\1" + ref, xml, count=1)

    return rewrite_member(path, SHEET1, declare)


def entity_bomb(root_name: str, body: str, levels: int = 5) -> bytes:
    """A "billion laughs" XML document: each entity expands to ten of the one before, and
    ``BOMB`` in ``body`` becomes a reference to the last.

    ``levels=5`` expands to 300 kB only, so that a regression fails the test rather than
    exhausting memory; the structure is that of the 9-level original.
    """
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels + 1):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    dtd = f"<!DOCTYPE {root_name} [\n" + "\n".join(entities) + "\n]>"
    body = body.replace("BOMB", f"&lol{levels};")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{dtd}\n{body}'.encode()


SST_BOMB = entity_bomb(
    "sst", f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>BOMB</t></si></sst>'
)
SHEET_BOMB = entity_bomb(
    "worksheet",
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
    "<is><t>BOMB</t></is></c></row></sheetData></worksheet>",
)


def ole2_file(path: Path, extra: bytes = b"") -> Path:
    """Bytes that start like an OLE2 compound document (old .xls or encrypted .xlsx)."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + extra)
    return path
