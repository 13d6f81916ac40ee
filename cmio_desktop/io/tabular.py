"""Read a spreadsheet or delimited-text file into a plain :class:`Table`.

The entry points are :func:`read_table` and :func:`list_sheets`. Every failure a user can cause
(wrong file type, old ``.xls``, password protection, unsafe XML, too many rows, missing sheet…)
raises :class:`ImportFileError` whose message names the file and the reason in plain words.

What kind of file it is comes from its first bytes, not only its extension: a ZIP container is
read as a workbook, an OLE2 container is an old ``.xls`` or an encrypted workbook, anything else
with a text extension is read as delimited text. The format readers live in
:mod:`cmio_desktop.io.read_xlsx` and :mod:`cmio_desktop.io.read_csv` and are imported on first
use, so importing this module does not import openpyxl.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

CellValue = str | int | float | bool | datetime | date | time | timedelta | None
"""What a cell may hold once read: text files give ``str`` (or ``None`` for an empty field)."""

DEFAULT_MAX_ROWS = 200_000
"""Non-blank rows read from one sheet before the import is refused."""

MAX_COLUMNS = 1_000
"""Columns read from one row before the import is refused."""

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
LEGACY_SUFFIXES = frozenset({".xls", ".xlt"})

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")


class ImportFileError(Exception):
    """A file cannot be imported; ``str(error)`` is a message fit to show the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class Table:
    """The non-blank rows of one sheet, each with the row number the user sees.

    ``rows[i]`` came from spreadsheet row (or CSV line) ``row_numbers[i]``, counted from 1. Rows
    whose cells are all empty are left out; trailing empty cells are trimmed, so rows differ in
    length. For delimited text, ``encoding`` and ``delimiter`` say what was detected.
    """

    source: Path
    sheet: str | None
    rows: list[list[CellValue]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def width(self) -> int:
        """The length of the longest row."""
        return max((len(r) for r in self.rows), default=0)

    def __len__(self) -> int:
        return len(self.rows)


def read_table(path: str | Path, sheet: str | None = None, max_rows: int | None = None) -> Table:
    """Read one sheet of an ``.xlsx``/``.xlsm`` workbook, or a ``.csv``/``.txt``/``.tsv`` file.

    ``sheet`` picks a worksheet by name (default: the sheet that was active when the workbook was
    saved); it is ignored for text files. ``max_rows`` caps the non-blank rows read (default
    :data:`DEFAULT_MAX_ROWS`); a bigger sheet raises :class:`ImportFileError`.
    """
    path = Path(path)
    limit = DEFAULT_MAX_ROWS if max_rows is None else max_rows
    if limit < 1:
        raise ValueError("max_rows must be at least 1")
    kind = _file_kind(path)
    if kind == "workbook":
        from cmio_desktop.io import read_xlsx

        return read_xlsx.read_workbook_table(path, sheet, limit)
    from cmio_desktop.io import read_csv

    return read_csv.read_text_table(path, limit)


def list_sheets(path: str | Path) -> list[str]:
    """Worksheet names of a workbook, in workbook order; ``[]`` for a delimited-text file."""
    path = Path(path)
    if _file_kind(path) == "text":
        return []
    from cmio_desktop.io import read_xlsx

    return read_xlsx.worksheet_names(path)


def describe(path: Path) -> str:
    """How messages name a file: its name in quotes."""
    return f"“{path.name}”"


def _file_kind(path: Path) -> str:
    """Return ``"workbook"`` or ``"text"``, or raise :class:`ImportFileError` saying why not."""
    name = describe(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ImportFileError(f"{name} was not found (looked for {path}).") from None
    except IsADirectoryError:
        raise ImportFileError(f"{name} is a folder, not a file.") from None
    except PermissionError:
        raise ImportFileError(f"{name} cannot be opened: permission denied.") from None
    except OSError as error:
        raise ImportFileError(f"{name} cannot be opened: {error.strerror or error}.") from None

    suffix = path.suffix.casefold()
    if not head:
        raise ImportFileError(f"{name} is empty.")
    if head.startswith(OLE2_MAGIC[:4]):
        if suffix in WORKBOOK_SUFFIXES or _has_encryption_stream(path):
            raise ImportFileError(
                f"{name} is password protected (encrypted). Open it in Excel, remove the "
                "password (File › Info › Protect Workbook › Encrypt with Password) and save it "
                "again as .xlsx."
            )
        raise ImportFileError(
            f"{name} is an old Excel 97–2003 .xls file; open it in Excel and save it as .xlsx."
        )
    if head.startswith(ZIP_MAGIC):
        _check_is_workbook_zip(path)
        return "workbook"
    if suffix in WORKBOOK_SUFFIXES:
        raise ImportFileError(
            f"{name} is not an Excel workbook: its contents are not in .xlsx format "
            "(the file may be damaged or renamed)."
        )
    if suffix in LEGACY_SUFFIXES:
        raise ImportFileError(
            f"{name} is not a readable Excel file. If it is an old Excel 97–2003 .xls file, "
            "open it in Excel and save it as .xlsx."
        )
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise ImportFileError(
        f"{name} is not a supported file type. Use an Excel workbook (.xlsx, .xlsm) or a "
        "CSV text file (.csv, .txt, .tsv)."
    )


def _has_encryption_stream(path: Path) -> bool:
    """True when an OLE2 file names an ``EncryptionInfo`` stream (an encrypted OOXML file)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(4 * 1024 * 1024)
    except OSError:
        return False
    return _ENCRYPTION_STREAM in data


def _check_is_workbook_zip(path: Path) -> None:
    name = describe(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in members else b""
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ImportFileError(
            f"{name} is a damaged ZIP/Excel file and cannot be read ({error})."
        ) from None
    if b"opendocument.spreadsheet" in mimetype:
        raise ImportFileError(
            f"{name} is an OpenDocument spreadsheet (.ods); open it and save it as .xlsx."
        )
    if "xl/workbook.bin" in members:
        raise ImportFileError(
            f"{name} is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx."
        )
    if not any(m.startswith("xl/") for m in members) or "[Content_Types].xml" not in members:
        raise ImportFileError(
            f"{name} is a ZIP archive but not an Excel workbook (it has no workbook inside)."
        )
