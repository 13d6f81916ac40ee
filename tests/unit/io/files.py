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
    rewrite_member(path, SHARED_STRINGS, lambda _: sst)
    rewrite_member(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    return rewrite_member(
        path,
        SHEET1,
        lambda xml: re.sub(
            rb"<sheetData>.*</sheetData>",
            b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
            xml,
        ),
    )


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


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
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
