"""Stream one worksheet's cell values (and the shared strings) straight from the XML with expat.

openpyxl's read-only reader builds an ElementTree element for every XML node and passes each
cell through descriptor-checked objects, which is most of the time an import of a large
register takes. This reader leaves the workbook's structure to openpyxl (the sheets, which
number formats are dates, the 1900/1904 epoch) and turns each ``<c>`` element into the same
Python value that openpyxl's ``iter_rows(values_only=True)`` gives for it in a ``data_only``
workbook: shared and inline
strings (phonetic runs left out), numbers (``int`` unless written with a point or an
exponent), booleans, error codes as text, dates and times by their number format, ISO ``d``
cells and cached formula results. :func:`read_shared_strings` reads the shared-strings part
as openpyxl's ``read_string_table`` does. ``tests/unit/io/test_xlsx_cells.py`` compares both
with openpyxl on workbooks written by openpyxl, shaped like Excel's, saved by LibreOffice and
written by hand.

Where a file breaks the schema the two can differ, on purpose: cells out of column order are
placed by their reference (openpyxl sizes the row by the last cell and drops the rest), and
text split over several ``<t>`` elements is joined in document order.

The expat parser refuses any document type declaration (not only entities, as defusedxml's
defaults do), entity declaration or external reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from openpyxl.utils.datetime import from_excel, from_ISO8601

from cmio_desktop.io.tabular import CellValue

MAX_COLUMN = 16_384  # XFD, the last column Excel has
READ_BYTES = 1 << 16

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
ROW, CELL, VALUE = _MAIN + "row", _MAIN + "c", _MAIN + "v"
INLINE, TEXT, PHONETIC = _MAIN + "is", _MAIN + "t", _MAIN + "rPh"
STRING_ITEM = _MAIN + "si"
_DIGITS = "0123456789"


def iter_sheet_values(worksheet: Any) -> Iterator[tuple[int, list[CellValue]]]:
    """``(row number, values)`` for each row of an openpyxl read-only worksheet holding a value.

    ``values`` runs from column A to the last cell with a value (``None`` in the gaps). Rows
    come in file order; a row numbered at or below one already given is skipped, as openpyxl
    does.
    """
    book = worksheet.parent
    decoder = _CellDecoder(
        list(worksheet._shared_strings),
        set(book._date_formats),
        set(book._timedelta_formats),
        book.epoch,
    )
    parser = _SheetParser(decoder)
    source: IO[bytes] = worksheet._get_source()
    with source:
        while chunk := source.read(READ_BYTES):
            parser.feed(chunk)
            yield from parser.take_rows()
        parser.finish()
        yield from parser.take_rows()


class _CellDecoder:
    """The value of one cell from its type, style and text, as openpyxl reads it."""

    def __init__(
        self, shared: list[str], date_styles: set[int], duration_styles: set[int], epoch: Any
    ) -> None:
        self.shared, self.date_styles, self.duration_styles = shared, date_styles, duration_styles
        self.epoch = epoch
        self.style_kinds: dict[str | None, str] = {}  # the s attribute → "date", "duration", ""

    def decode(self, kind: str, style: str | None, text: str) -> CellValue:
        if kind == "n":
            number = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
            date_kind = self.style_kinds.get(style)
            if date_kind is None:
                date_kind = self.style_kinds[style] = self._style_kind(style)
            if date_kind:
                try:
                    return from_excel(number, self.epoch, date_kind == "duration")
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.shared[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's text result), "e" (an error code) or unknown

    def _style_kind(self, style: str | None) -> str:
        index = int(style or 0)  # no s attribute means style 0, which may be a date format
        if index not in self.date_styles:
            return ""
        return "duration" if index in self.duration_styles else "date"


class _SheetParser:
    """Push parser: feed bytes, take the finished rows."""

    def __init__(self, decoder: _CellDecoder) -> None:
        self.decoder = decoder
        self.rows: list[tuple[int, list[CellValue]]] = []
        self.row_number = 0  # of the row being read
        self.last_given = 0  # highest row number handed out
        self.cells: list[tuple[int, CellValue]] = []
        self.column = 0
        self.kind = "n"
        self.style: str | None = None
        self.text: list[str] | None = None  # collects character data while not None
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.phonetic = False
        self.parser = _safe_parser(self._start, self._end, self._characters)

    def feed(self, chunk: bytes) -> None:
        self.parser.Parse(chunk, False)

    def finish(self) -> None:
        self.parser.Parse(b"", True)

    def take_rows(self) -> list[tuple[int, list[CellValue]]]:
        rows, self.rows = self.rows, []
        return rows

    # -- expat callbacks -----------------------------------------------------------------------

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if name == CELL:
            ref = attrs.get("r")
            self.column = _column_of(ref) if ref else self.column + 1
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s")
            self.value = self.inline = None
        elif name == VALUE:
            self.text = []
        elif name == TEXT:
            if self.inline is not None and not self.phonetic:
                self.text = []
        elif name == INLINE:
            self.inline = []
        elif name == PHONETIC:
            self.phonetic = True
        elif name == ROW:
            ref = attrs.get("r")
            self.row_number = _row_of(ref) if ref else self.row_number + 1
            self.column = 0
            self.cells = []

    def _characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _end(self, name: str) -> None:
        if name == VALUE:
            self.value = "".join(self.text or ())
            self.text = None
        elif name == CELL:
            self._end_cell()
        elif name == TEXT:
            if self.text is not None and self.inline is not None:
                self.inline.append("".join(self.text))
            self.text = None
        elif name == PHONETIC:
            self.phonetic = False
        elif name == ROW:
            self._end_row()

    def _end_cell(self) -> None:
        if self.kind == "inlineStr":
            value: CellValue = None if self.inline is None else "".join(self.inline)
        elif self.value:
            value = self.decoder.decode(self.kind, self.style, self.value)
        else:
            value = None
        if value is not None:
            if self.column > MAX_COLUMN:
                raise ValueError(f"cell reference beyond column XFD on row {self.row_number}")
            self.cells.append((self.column, value))
        self.inline = None

    def _end_row(self) -> None:
        number = self.row_number
        if number <= self.last_given:
            return  # out of order or repeated: openpyxl skips these too
        self.last_given = number
        cells = self.cells
        if not cells:
            return
        values: list[CellValue] = [None] * max(column for column, _ in cells)
        for column, value in cells:
            values[column - 1] = value
        self.rows.append((number, values))


def read_shared_strings(source: IO[bytes]) -> list[str]:
    """The plain text of each ``<si>`` of a shared-strings part (phonetic runs left out)."""
    strings: list[str] = []
    parts: list[str] = []
    text: list[str] | None = None
    phonetic = False

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal text, phonetic
        if name == TEXT:
            if not phonetic:
                text = []
        elif name == STRING_ITEM:
            parts.clear()
        elif name == PHONETIC:
            phonetic = True

    def end(name: str) -> None:
        nonlocal text, phonetic
        if name == TEXT:
            if text is not None:
                parts.append("".join(text))
            text = None
        elif name == STRING_ITEM:
            strings.append("".join(parts).replace("x005F_", ""))  # as openpyxl does
        elif name == PHONETIC:
            phonetic = False

    def characters(data: str) -> None:
        if text is not None:
            text.append(data)

    parser = _safe_parser(start, end, characters)
    while chunk := source.read(READ_BYTES):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return strings


def _safe_parser(start: Any, end: Any, characters: Any) -> Any:
    """An expat parser with namespaced names that refuses DTDs and entities."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = READ_BYTES
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    return parser


_COLUMNS: dict[str, int] = {}


def _column_of(ref: str) -> int:
    """1-based column of a cell reference such as ``AB12``."""
    letters = ref.rstrip(_DIGITS)
    column = _COLUMNS.get(letters)
    if column is None:
        column = _column_number(letters)
        if column is None:
            if ref != ref.strip():  # openpyxl accepts spaces around a reference
                return _column_of(ref.strip())
            raise ValueError(f"“{ref[:20]}” is not a cell reference")
        _COLUMNS[letters] = column
    return column


def _column_number(letters: str) -> int | None:
    """``A`` → 1 … ``ZZZ`` → 18,278; ``None`` unless 1–3 capital letters (checked first, so a
    hostile reference of a million letters costs nothing)."""
    if not 1 <= len(letters) <= 3:
        return None
    column = 0
    for letter in letters:
        if not "A" <= letter <= "Z":
            return None
        column = column * 26 + ord(letter) - 64
    return column


def _row_of(ref: str) -> int:
    try:
        return int(ref)
    except ValueError:
        number = float(ref)
        if not number.is_integer():
            raise ValueError(f"“{ref}” is not a row number") from None
        return int(number)


def _refuse_doctype(name: str, sysid: str | None, pubid: str | None, _subset: bool) -> None:
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(
    name: str,
    _param: bool,
    value: str | None,
    base: str | None,
    sysid: str | None,
    pubid: str | None,
    _notation: str | None,
) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, _notation)


def _refuse_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> None:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)
