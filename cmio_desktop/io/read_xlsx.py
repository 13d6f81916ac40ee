"""Read one worksheet of an ``.xlsx``/``.xlsm`` file safely (used by :mod:`.tabular`).

Safety, in layers:

* the worksheet and shared-strings XML is parsed by :mod:`.xlsx_cells`, whose expat parser
  refuses any document type declaration, entity or external reference; the other parts by
  openpyxl, which must be using defusedxml (checked when this module is imported), so an XML
  entity bomb ("billion laughs") raises instead of expanding;
* before openpyxl sees the file, every XML part of the ZIP is checked for a document type
  declaration (the only place entities can be declared) and the declared uncompressed size of
  the archive is capped, which also covers the parts openpyxl parses with lxml;
* the sheet's declared ``<dimension>`` is ignored: rows are iterated as they are in the file,
  and the number of non-blank rows and of columns is capped.

Speed: openpyxl reads the workbook's structure and number formats; the cells of the chosen
sheet are read by python-calamine where :mod:`.xlsx_calamine` can prove that safe and exact
(text and number tables up to 256 MB: a register as exported or saved by Excel), else the
shared strings and the cells are streamed by :mod:`.xlsx_cells` (about four times faster than
openpyxl's own read-only rows), and openpyxl's pre-scan of every sheet for its declared size is
skipped: without a ``<dimension>`` element (openpyxl's write-only files have none) it parses
the whole sheet once more just to find none. The shared strings are read only when the expat
reader needs them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from cmio_desktop.io.tabular import MAX_COLUMNS, CellValue, ImportFileError, Table, describe
from cmio_desktop.io.xlsx_calamine import calamine_rows
from cmio_desktop.io.xlsx_cells import iter_sheet_values, read_shared_strings

if openpyxl.DEFUSEDXML is not True:  # pragma: no cover - guarded by a subprocess test
    raise RuntimeError(
        "openpyxl is not using defusedxml, so spreadsheets cannot be read safely. Install the "
        "'defusedxml' package and make sure the environment variable OPENPYXL_DEFUSEDXML is "
        "not set to anything but 'True'."
    )

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
"""Refuse workbooks whose parts add up to more than this once decompressed (ZIP bombs)."""

_PROLOG_SCAN_BYTES = 64 * 1024
STRICT_NAMESPACE = b'"http://purl.oclc.org/ooxml/spreadsheetml/main"'
"""ISO 29500 Strict, which openpyxl (and so this reader) does not understand: without this
check such a workbook would read as if it were empty."""


def worksheet_names(path: Path) -> list[str]:
    """Names of the worksheets (not chart sheets) of the workbook at ``path``."""
    with _open_workbook(path) as book:
        return [ws.title for ws in book.workbook.worksheets]


def read_workbook_table(path: Path, sheet: str | None, max_rows: int) -> Table:
    """Read the non-blank rows of one worksheet; see :func:`cmio_desktop.io.tabular.read_table`."""
    name = describe(path)
    with _open_workbook(path) as book:
        ws = _pick_sheet(book.workbook, sheet, name)
        title = ws.title
        try:
            source = calamine_rows(path, ws, max_rows) or iter_sheet_values(ws)
            rows, numbers = _collect_rows(source, max_rows, name, title)
        except ImportFileError:
            raise
        except Exception as error:  # openpyxl raises many types on damaged sheets
            if _caused_by_unsafe_xml(error):
                raise _unsafe_xml(name, f"sheet “{title}”") from None
            raise ImportFileError(
                f"{name}: sheet “{title}” is damaged and cannot be read ({_short(error)})."
            ) from None
    return Table(source=path, sheet=title, rows=rows, row_numbers=numbers)


def _collect_rows(
    source: Iterable[tuple[int, list[CellValue]]], max_rows: int, name: str, title: str
) -> tuple[list[list[CellValue]], list[int]]:
    rows: list[list[CellValue]] = []
    numbers: list[int] = []
    add_row = rows.append
    add_number = numbers.append
    for number, row in source:
        if len(row) > MAX_COLUMNS:
            raise ImportFileError(
                f"{name}: sheet “{title}” has data in column {len(row)} on row {number}; "
                f"at most {MAX_COLUMNS} columns can be imported."
            )
        if len(rows) >= max_rows:
            raise ImportFileError(
                f"{name}: sheet “{title}” has more than {max_rows:,} rows of data; "
                f"at most {max_rows:,} rows can be imported at once. Split the file."
            )
        add_row(row)
        add_number(number)
    return rows, numbers


def _pick_sheet(workbook: object, sheet: str | None, name: str) -> object:
    worksheets = workbook.worksheets  # type: ignore[attr-defined]
    titles = [ws.title for ws in worksheets]
    if not worksheets:
        raise ImportFileError(f"{name} has no worksheets with a table in it.")
    if sheet is None:
        active = workbook.active  # type: ignore[attr-defined]
        return active if active in worksheets else worksheets[0]
    for ws in worksheets:
        if ws.title == sheet:
            return ws
    folded = sheet.strip().casefold()
    matches = [ws for ws in worksheets if ws.title.strip().casefold() == folded]
    if len(matches) == 1:
        return matches[0]
    if sheet in workbook.sheetnames:  # type: ignore[attr-defined]
        raise ImportFileError(f"{name}: sheet “{sheet}” is a chart, not a table.")
    available = ", ".join(f"“{t}”" for t in titles)
    raise ImportFileError(f"{name} has no sheet named “{sheet}”. Available sheets: {available}.")


class _OpenWorkbook:
    """Context manager: a read-only, values-only openpyxl workbook plus its file handle."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[bytes] | None = None
        self.workbook: object = None

    def __enter__(self) -> _OpenWorkbook:
        path, name = self.path, describe(self.path)
        _check_archive(path)
        # A file object (not the path) stops openpyxl refusing a workbook by its extension.
        self.handle = path.open("rb")
        try:
            reader = _StreamingReader(self.handle, read_only=True, data_only=True, keep_links=False)
            reader.read()
            self.workbook = reader.wb
        except Exception as error:  # damaged workbooks raise KeyError, ValueError, TypeError…
            self.handle.close()
            if _caused_by_unsafe_xml(error):
                raise _unsafe_xml(name, "one of its parts") from None
            raise ImportFileError(
                f"{name} is not a readable Excel workbook ({_short(error)})."
            ) from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.workbook.close()  # type: ignore[attr-defined]
        finally:
            if self.handle is not None:
                self.handle.close()


class _UnsizedWorksheet(ReadOnlyWorksheet):
    """A read-only worksheet that does not pre-scan the sheet for its declared size."""

    def _get_size(self) -> None:
        pass  # the declared size is ignored anyway (see the module docstring)


class _StreamingReader(ExcelReader):
    """openpyxl's reader, with the shared strings read by expat and
    :class:`_UnsizedWorksheet` for the read-only worksheets."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            self.shared_strings = _LazyStrings(self.archive, part.PartName[1:])  # type: ignore[assignment]

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            ws = _UnsizedWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


class _LazyStrings:
    """The shared strings, read (by :mod:`.xlsx_cells`) on first use: listing the sheets and
    the calamine fast path never need them, and a large part takes as long to read as the
    sheet. A damaged part is therefore reported with the sheet being read."""

    def __init__(self, archive: zipfile.ZipFile, member: str) -> None:
        self.archive, self.member = archive, member
        self.strings: list[str] | None = None

    def _loaded(self) -> list[str]:
        if self.strings is None:
            with self.archive.open(self.member) as source:
                self.strings = read_shared_strings(source)
        return self.strings

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())

    def __getitem__(self, index: int) -> str:
        return self._loaded()[index]


def _open_workbook(path: Path) -> _OpenWorkbook:
    return _OpenWorkbook(path)


def _check_archive(path: Path) -> None:
    """Refuse ZIP bombs and any XML part that carries a DTD (where entities are declared)."""
    name = describe(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
                raise ImportFileError(
                    f"{name} is too large once decompressed (over "
                    f"{MAX_UNCOMPRESSED_BYTES // 1024**3} GB) and was refused."
                )
            for info in infos:
                if not info.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(info) as member:
                    head = member.read(_PROLOG_SCAN_BYTES)
                if _prolog_declares_dtd(head):
                    raise _unsafe_xml(name, info.filename)
                if info.filename.endswith("workbook.xml") and STRICT_NAMESPACE in head:
                    raise ImportFileError(
                        f"{name} is saved as a “Strict Open XML Spreadsheet”, which cannot be "
                        "read. In Excel choose File › Save As and the type “Excel Workbook "
                        "(.xlsx)”, then import that file."
                    )
    except ImportFileError:
        raise
    except Exception as error:  # BadZipFile, CRC errors, unsupported compression…
        raise ImportFileError(f"{name} is a damaged Excel file ({_short(error)}).") from None


def _prolog_declares_dtd(head: bytes) -> bool:
    """True if the XML prolog has a ``<!DOCTYPE`` (or cannot be read within the scan window)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    i, end = 0, len(head)
    while True:
        while i < end and head[i] in b" \t\r\n":
            i += 1
        if i >= end:
            return end >= _PROLOG_SCAN_BYTES  # a prolog this long is itself suspicious
        if head.startswith(b"<?", i):
            j = head.find(b"?>", i + 2)
        elif head.startswith(b"<!--", i):
            j = head.find(b"-->", i + 4)
        else:
            return head.startswith(b"<!", i)  # a DOCTYPE, or the root element: no DTD
        if j < 0:
            return True
        i = j + 2 if head[j] == ord("?") else j + 3


def _caused_by_unsafe_xml(error: BaseException | None) -> bool:
    """True if defusedxml refused some XML (openpyxl may wrap that in a ValueError)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _unsafe_xml(name: str, where: str) -> ImportFileError:
    return ImportFileError(
        f"{name} was refused: {where} contains an XML document type declaration with "
        "entities, which can be used to attack the computer reading it (an “entity "
        "expansion” or “billion laughs” bomb). Excel never writes these; re-save the file in "
        "Excel if it came from another program."
    )


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = text[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
