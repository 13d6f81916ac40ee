"""Safe cells for the executive workbook: every text value is text, never a formula.

Text goes through :mod:`cmio_desktop.io.xlsx_safety` (the same rules as the register export):
characters a workbook cannot hold are removed, text is cut at Excel's cell limit, and text that
a spreadsheet could read as a formula (leading ``=``, ``+``, ``-``, ``@``, tab, CR…) is stored
as a string cell with Excel's quote prefix. Each removal or cut is recorded with its cell
address for the workbook's "Notes" sheet.

Styles are named ("header", "dec1+wrap") and built once per workbook; a value that needs one is
wrapped in :class:`Styled`. Dates get the "date" style automatically.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cmio_desktop.io.workbook.small_cells import FEW_TEXT, Few
from cmio_desktop.io.xlsx_safety import (
    EXCEL_MAX_CELL_CHARS,
    FORMULA_TRIGGERS,
    clean_text,
    is_risky,
    text_cell,
)

INK = "1F2A37"
NAVY = "1F3A5F"
TEAL = "1F5F6B"
MUTED = "5B6770"
RULE = "B7C4CF"

RAG_FILLS = {
    "green": ("C6EFCE", "006100"),
    "amber": ("FFEB9C", "7A4F00"),
    "red": ("FFC7CE", "9C0006"),
    "unknown": ("E7E9EC", "3F4A55"),
}

_NUMBER_FORMATS = {
    "int": "#,##0",
    "dec1": "0.0",
    "dec2": "0.00",
    "dec3": "0.000",
    "pct": "0%",
    "date": "d mmm yyyy",
}


FONT_NAME = "Calibri"  # LibreOffice draws it with Carlito, which has the same metrics
BODY_PT = 11.0


def font(*, size: float = BODY_PT, **attrs: Any) -> Font:
    """A named font: a font with no name makes LibreOffice fall back to a (serif) default whose
    wider letters break headers mid-word."""
    return Font(name=FONT_NAME, family=2, size=size, **attrs)


def rule_font(**attrs: Any) -> Font:
    """A named font for a conditional format (no size: the cell's own size stays)."""
    return Font(name=FONT_NAME, family=2, **attrs)


def _style_parts(name: str) -> dict[str, Any]:
    """openpyxl attributes for one named style."""
    thin = Side(style="thin", color=RULE)
    if name in _NUMBER_FORMATS:
        return {"number_format": _NUMBER_FORMATS[name]}
    if name.startswith("decision-") and name[9:] in RAG_FILLS:
        fill, ink = RAG_FILLS[name[9:]]
        return {
            "fill": PatternFill("solid", fgColor=fill),
            "font": font(bold=True, size=14, color=ink),
            "alignment": Alignment(horizontal="center", vertical="center"),
        }
    if name in RAG_FILLS:
        fill, ink = RAG_FILLS[name]
        return {
            "fill": PatternFill("solid", fgColor=fill),
            "font": font(bold=True, color=ink),
            "alignment": Alignment(horizontal="center", vertical="top"),
        }
    parts: dict[str, dict[str, Any]] = {
        "title": {"font": font(bold=True, size=16, color=NAVY)},
        "subtitle": {"font": font(italic=True, size=10, color=MUTED)},
        # wraps inside a merged block (not counted per column like "wrap")
        "flow": {"alignment": Alignment(wrap_text=True, vertical="top")},
        "section": {
            "font": font(bold=True, size=12, color=NAVY),
            "border": Border(bottom=Side(style="medium", color=NAVY)),
        },
        "header": {
            "font": font(bold=True, color="FFFFFF"),
            "fill": PatternFill("solid", fgColor=TEAL),
            "alignment": Alignment(vertical="center", wrap_text=True),
            "border": Border(bottom=Side(style="thin", color="12373F")),
        },
        "wrap": {"alignment": Alignment(wrap_text=True, vertical="top")},
        "top": {"alignment": Alignment(vertical="top")},
        "center": {"alignment": Alignment(horizontal="center", vertical="top")},
        "bold": {"font": font(bold=True, color=INK)},
        "label": {"font": font(bold=True, color=INK), "border": Border(bottom=thin)},
        "value": {
            "font": font(bold=True, size=12, color=NAVY),
            "border": Border(bottom=thin),
            "alignment": Alignment(horizontal="center", vertical="top"),
        },
        "total": {
            "font": font(bold=True, color=INK),
            "fill": PatternFill("solid", fgColor="E3ECF4"),
        },
        "note": {
            "font": font(size=10, color=MUTED),
            "alignment": Alignment(wrap_text=True, vertical="top"),
            "border": Border(bottom=thin),
        },
        "flag": {"font": font(bold=True, color="9C0006")},
    }
    if name not in parts:
        raise KeyError(f"unknown cell style {name!r}")
    return parts[name]


class Styled:
    """A cell value with a named style ("dec1", "header", "dec1+wrap", "red"…) and, optionally,
    an Excel number format that overrides the style's."""

    __slots__ = ("number_format", "style", "value")

    def __init__(self, value: Any, style: str, number_format: str | None = None) -> None:
        self.value = value
        self.style = style
        self.number_format = number_format


@dataclass
class BookContext:
    """Per-workbook state: built styles and the notes collected while writing."""

    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, note)
    neutralised: int = 0
    _styles: dict[str, Callable[[Any], None]] = field(default_factory=dict)

    def style(self, name: str) -> Callable[[Any], None]:
        found = self._styles.get(name)
        if found is None:
            merged: dict[str, Any] = {}
            for part in name.split("+"):
                merged.update(_style_parts(part))
            if "alignment" not in merged:  # tall (wrapped) rows read best top-aligned
                left = "date" in name.split("+")
                merged["alignment"] = Alignment(horizontal="left" if left else None, vertical="top")

            def apply(cell: Any, attrs: dict[str, Any] = merged) -> None:
                for key, value in attrs.items():
                    setattr(cell, key, value)

            self._styles[name] = found = apply
        return found


def fit_text(text: str) -> str:
    """``text`` cleaned and cut so that it fits a cell, also when Excel counts UTF-16 units."""
    text = clean_text(text)
    if len(text) > EXCEL_MAX_CELL_CHARS // 2 and len(text.encode("utf-16-le")) > 2 * (
        EXCEL_MAX_CELL_CHARS
    ):
        units = 0
        for index, char in enumerate(text):
            units += 2 if ord(char) > 0xFFFF else 1
            if units > EXCEL_MAX_CELL_CHARS:
                return text[:index]
    return text


def describe_change(original: str, fitted: str) -> str:
    """The Notes-sheet sentence for a text that had to change to fit in a cell."""
    stripped = _strip(original)
    parts = []
    removed = len(original) - len(stripped)
    if removed:
        plural = "s" if removed != 1 else ""
        parts.append(f"removed {removed:,} character{plural} that a workbook cannot hold")
    if len(fitted) < len(stripped):
        parts.append(
            f"cut to {len(fitted):,} characters (Excel's cell limit; the text had "
            f"{len(stripped):,})"
        )
    text = "; ".join(parts) or "adjusted to fit a cell"
    return text[0].upper() + text[1:] + "."


def _strip(text: str) -> str:
    """``text`` without unstorable characters, not cut (``clean_text`` on pieces it won't cut)."""
    step = EXCEL_MAX_CELL_CHARS
    return "".join(clean_text(text[i : i + step]) for i in range(0, len(text), step))


WRAPPING_STYLES = ("wrap", "header", "note")
LINE_HEIGHT_PT = 15.0
MAX_ROW_HEIGHT_PT = 409.0  # Excel's limit


def wrapped_lines(text: str, width: float, factor: float = 1.1) -> int:
    """Lines ``text`` needs in a wrapping column ``width`` characters wide. Column widths count
    "0" digits; an average letter of 11-point Calibri is narrower (measured in LibreOffice's
    PDFs, a width-46 column holds about 55 letters; ``factor`` is letters per width unit: 1.1
    for body text, more for 10-point notes, less for bold headers). The estimate errs towards
    more lines: a little white space beats clipped text."""
    per_line = int(max(1.0, width * factor - 1))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


class SheetWriter:
    """Appends rows to one write-only worksheet, neutralising text and noting changes.

    Spreadsheet programs do not grow a row for wrapped text written by a program (LibreOffice
    keeps the default height), so rows with wrapping cells get a height for their longest
    text, from ``widths`` (column widths in characters)."""

    def __init__(self, ctx: BookContext, ws: Any, widths: tuple[float, ...] = ()) -> None:
        self.ctx = ctx
        self.ws = ws
        self.title = ws.title
        self.widths = widths
        self.row = 0
        self._lines = 1
        self.even_lines = 0  # > 0: every row gets this many lines' height (an even table)

    def append(self, values: Iterable[Any]) -> int:
        """Write one row; returns its 1-based row number."""
        self.row += 1
        self._lines = 1
        cells = self.cells(values)
        if self._lines > 1 or self.even_lines:
            lines = max(self._lines, self.even_lines)
            height = min(MAX_ROW_HEIGHT_PT, lines * LINE_HEIGHT_PT + 3)
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)
        return self.row

    def set_height(self, points: float) -> None:
        """Height of the next row to be appended (for large text such as a title)."""
        self.ws.row_dimensions[self.row + 1].height = points

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.row += 1
            self.ws.append(())

    def cells(self, values: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        add = out.append
        for column, value in enumerate(values, 1):
            kind = value.__class__
            if kind is str:
                add(self._text(value, column) if value else None)
            elif kind is Styled:
                add(self._styled(value, column))
            elif kind is date or kind is datetime:
                add(self._styled(Styled(value, "date"), column))
            elif kind is float and not math.isfinite(value):
                add(None)  # a workbook has no NaN or infinity
            elif kind is Few:
                add(FEW_TEXT)  # a suppressed count: never its number
            else:
                add(value)
        return out

    def _fit(self, text: str, column: int) -> str:
        fitted = fit_text(text)
        if fitted is not text and fitted != text:
            self.ctx.notes.append(
                (
                    self.title,
                    f"{get_column_letter(column)}{self.row}",
                    describe_change(text, fitted),
                )
            )
        return fitted

    def _text(self, text: str, column: int) -> Any:
        text = self._fit(text, column)
        if text.startswith(FORMULA_TRIGGERS):
            self.ctx.neutralised += 1
            return text_cell(self.ws, text)
        return text

    def _styled(self, item: Styled, column: int) -> Any:
        value = item.value
        style = self.ctx.style(item.style)
        if value.__class__ is Few:
            value = FEW_TEXT  # a suppressed count: never its number
        if isinstance(value, str):
            value = self._fit(value, column)
            if column <= len(self.widths) and any(w in item.style for w in WRAPPING_STYLES):
                factor = 1.2 if "note" in item.style else 0.95 if "header" in item.style else 1.1
                lines = wrapped_lines(value, self.widths[column - 1], factor)
                self._lines = max(self._lines, lines)
            if is_risky(value):
                self.ctx.neutralised += 1
            return text_cell(self.ws, value, style=style)
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        cell = WriteOnlyCell(self.ws, value=value)
        style(cell)
        if item.number_format:
            cell.number_format = item.number_format
        return cell


def data_labels(number_format: str) -> DataLabelList:
    """Chart data labels showing the value only, in ``number_format``."""
    labels = DataLabelList()
    labels.showVal = True
    labels.showSerName = False
    labels.showCatName = False
    labels.showLegendKey = False
    labels.showPercent = False
    labels.numFmt = number_format
    return labels
