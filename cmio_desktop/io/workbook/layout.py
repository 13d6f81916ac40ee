"""Sheet scaffolding shared by every sheet: title block, table header, print set-up.

In openpyxl's write-only mode the sheet properties, panes and column widths are written with
the first row, so :func:`begin_table` sets them before anything is appended; the autofilter,
conditional formats, print settings and charts are written when the sheet closes.

Every sheet prints landscape, one page wide, with its header row repeated on each page and a
footer carrying the organisation, the date prepared, the page number and "Confidential".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem

from cmio_desktop.io.workbook.cells import BookContext, SheetWriter, Styled, wrapped_lines
from cmio_desktop.io.workbook.data import WorkbookMeta, day_text
from cmio_desktop.io.xlsx_safety import clean_text

TITLE_ROWS = 3  # title, subtitle, spacer; the table header follows
HEADER_ROW = TITLE_ROWS + 1
FOOTER_TEXT_LIMIT = 70  # Excel allows 255 characters for a whole header or footer


@dataclass(frozen=True)
class Column:
    """A table column: header text, width in characters and the style of its values."""

    header: str
    width: float
    style: str | None = None


MAX_FITTED_WIDTH = 44.0  # a longer value wraps (or, in a one-line column, is the exception)
HEADER_LETTER = 1.1  # width units per letter of a bold header word (Calibri/Carlito, 11 pt)
BODY_LETTER = 1.0  # width units per letter of body text; bold body text is ~10 % wider
PADDING = 2.0  # cell margins and the autofilter button


def _shown_length(value: Any) -> int:
    """Characters a value shows in its cell (numbers roughly as their formats print them)."""
    value = getattr(value, "value", value)  # a Styled value
    if value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, float):
        return len(f"{value:,.1f}") + 1 if math.isfinite(value) else 0
    if isinstance(value, date):
        return 11  # "12 Nov 2026"
    return max((len(line) for line in str(value).split("\n")), default=0)


def header_width(header: str) -> float:
    """The narrowest column in which no word of ``header`` has to break."""
    return max(len(word) for word in header.split()) * HEADER_LETTER + PADDING


def fit_columns(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]] = ()
) -> tuple[Column, ...]:
    """Column widths computed from the content: a header never breaks inside a word, and a
    one-line (not wrapping) column is as wide as its longest value (up to
    :data:`MAX_FITTED_WIDTH`), so no department name is cut. Wrapping columns keep their
    designed width, widened for the longest single word."""
    longest = [0] * len(columns)
    longest_word = [0] * len(columns)
    wrapping = [bool(c.style and "wrap" in c.style) for c in columns]
    for values in rows:
        for index, value in enumerate(values[: len(columns)]):
            if wrapping[index]:
                text = str(getattr(value, "value", value) or "")
                word = max((len(w) for w in text.split()), default=0)
                longest_word[index] = max(longest_word[index], word)
            else:
                longest[index] = max(longest[index], _shown_length(value))
    fitted = []
    for index, column in enumerate(columns):
        need = header_width(column.header)
        letter = BODY_LETTER * (1.1 if column.style and "bold" in column.style else 1.0)
        if wrapping[index]:
            width = max(column.width, need, min(MAX_FITTED_WIDTH, longest_word[index] + PADDING))
        else:
            content = longest[index] * letter + PADDING if longest[index] else 0.0
            width = max(need, min(MAX_FITTED_WIDTH, content), 6.0)
        fitted.append(replace(column, width=math.ceil(round(width * 10, 6)) / 10))
    return tuple(fitted)


def header_footer_text(text: str) -> str:
    """User text made safe for a header/footer: ``&`` starts a code there, so it is doubled;
    control characters go and long text is shortened (Excel allows 255 characters in all)."""
    text = " ".join(clean_text(text).split())
    if len(text) > FOOTER_TEXT_LIMIT:
        text = text[: FOOTER_TEXT_LIMIT - 1] + "…"
    return text.replace("&", "&&")


def print_setup(
    ws: Any,
    meta: WorkbookMeta,
    *,
    header_row: int | None = HEADER_ROW,
    fit_height: int = 0,
) -> None:
    """Landscape, one page wide (``fit_height`` pages tall, 0 = as many as needed), repeated
    header row, and the confidential footer. Call before the first row is appended."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = fit_height
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    footer: HeaderFooterItem = ws.oddFooter
    organisation = header_footer_text(meta.organisation)
    footer.left.text = f"{organisation} · {day_text(meta.prepared_on)}"
    footer.center.text = "Confidential"
    footer.right.text = "Page &P of &N"
    for part in (footer.left, footer.center, footer.right):
        part.size = 8
    ws.oddHeader.left.text = "&A"
    ws.oddHeader.right.text = header_footer_text(meta.initiative)
    for part in (ws.oddHeader.left, ws.oddHeader.right):
        part.size = 8
        part.color = "5B6770"


def set_widths(ws: Any, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def begin_table(
    ctx: BookContext,
    ws: Any,
    meta: WorkbookMeta,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    *,
    freeze_columns: int = 1,
) -> SheetWriter:
    """Title block, then the styled header at :data:`HEADER_ROW`; panes frozen below it (and
    right of the first ``freeze_columns`` columns). Pass columns through :func:`fit_columns`
    first to size them from the content."""
    set_widths(ws, [c.width for c in columns])
    ws.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{HEADER_ROW + 1}"
    print_setup(ws, meta)
    writer = SheetWriter(ctx, ws, tuple(c.width for c in columns))
    writer.set_height(24)
    writer.append([Styled(title, "title")])
    write_subtitle(writer, subtitle, len(columns))
    writer.blank()
    writer.append([Styled(c.header, "header") for c in columns])
    return writer


def write_subtitle(writer: SheetWriter, subtitle: str, span: int) -> None:
    """The subtitle wrapped across the table's width (merged cells), so that a long one neither
    runs past the printed columns (shrinking the page) nor needs a wide first column."""
    if not subtitle:
        writer.append([])
        return
    width = sum(writer.widths[:span]) or 60.0
    lines = wrapped_lines(subtitle, width, 1.15)
    if lines > 1:
        writer.set_height(lines * 13.5 + 3)
    row = writer.append([Styled(subtitle, "subtitle+flow")])
    if span > 1:
        writer.ws.merged_cells.add(f"A{row}:{get_column_letter(span)}{row}")


def table_row(columns: Sequence[Column], values: Sequence[Any]) -> list[Any]:
    """Values wrapped in their column's style, top-aligned by default (``None`` and already
    styled values stay as they are)."""
    return [
        value
        if value is None or value.__class__ is Styled
        else Styled(value, column.style or "top")
        for column, value in zip(columns, values, strict=True)
    ]


def end_table(writer: SheetWriter, columns: Sequence[Column], *, empty_text: str = "") -> int:
    """The autofilter over header and rows; returns the last table row. With no data rows a
    line saying so is written (below the filter range) instead."""
    ws = writer.ws
    last = writer.row
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(last, HEADER_ROW)}"
    if last == HEADER_ROW and empty_text:
        writer.append([Styled(empty_text, "subtitle")])
    return last


def data_range(column: int, first: int, last: int) -> str:
    letter = get_column_letter(column)
    return f"{letter}{first}:{letter}{max(first, last)}"
