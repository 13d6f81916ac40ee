"""Text cells that cannot turn into formulas, for every workbook this app writes.

**The risk.** A spreadsheet program treats typed text that starts with ``=``, ``+``, ``-`` or
``@`` as a formula, and tab / carriage-return / line-feed prefixes are used to smuggle such text
past filters ("CSV/formula injection"). openpyxl itself stores any ``str`` starting with ``=`` as
a formula. Our exports carry text people typed or imported (names, notes, phone numbers such as
``+1 555 …``), so every text cell goes through this module.

**The method: a real text cell plus Excel's quote prefix, never an altered value.**

* the cell is written as a string (``t="inlineStr"``), so Excel and LibreOffice show the text
  and never evaluate it when the file is opened;
* risky cells also get the ``quotePrefix`` cell style, the flag Excel sets when someone types
  ``'=…``: the formula bar shows the apostrophe and editing the cell and pressing Enter keeps it
  text instead of turning it into a live formula;
* the stored value is exactly the original text. Prefixing an apostrophe or a space to the
  value (the other common fix) would change the data: re-importing an exported register would
  then show every such cell as an edit. With the quote prefix, export → import gives the same
  text back (tested by the register round trip).

Characters XML 1.0 cannot hold (most ASCII control characters, lone surrogates, U+FFFE/U+FFFF)
are removed, since no workbook can contain them, and text is cut at Excel's 32,767-character
cell limit. openpyxl is imported on first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""Leading characters that make a cell risky (full-width forms included, for Excel's IME)."""

EXCEL_MAX_CELL_CHARS = 32_767

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without characters a workbook cannot hold, cut to the cell-size limit."""
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    return text[:EXCEL_MAX_CELL_CHARS]


def is_risky(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (see :data:`FORMULA_TRIGGERS`)."""
    return text.startswith(FORMULA_TRIGGERS)


def text_cell(ws: Any, text: str, *, style: Any = None) -> Any:
    """A value to ``append`` to a **write-only** worksheet ``ws`` for ``text``.

    Safe text comes back as a plain (cleaned) ``str`` when no ``style`` is asked for, which is
    the fast path; risky text becomes a ``WriteOnlyCell`` stored as a string with the quote
    prefix. ``style`` is an optional callable ``style(cell)`` applied to any cell made here.
    """
    text = clean_text(text)
    if not is_risky(text) and style is None:
        return text
    cell = _write_only_cell()(ws, value=None)
    _assign(cell, text)
    if style is not None:
        style(cell)
    return cell


def set_text(cell: Any, text: str) -> None:
    """Put ``text`` into an ordinary (not write-only) worksheet ``cell``, neutralised."""
    _assign(cell, clean_text(text))


def safe_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append``: every text value neutralised and cleaned."""
    risky = FORMULA_TRIGGERS
    out: list[Any] = []
    add = out.append
    for value in values:
        if isinstance(value, str):
            if _ILLEGAL_XML.search(value) or len(value) > EXCEL_MAX_CELL_CHARS:
                value = clean_text(value)
            if value.startswith(risky):
                value = text_cell(ws, value)
        add(value)
    return out


def _assign(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # openpyxl marks "=…" as a formula when the value is set
    if is_risky(text):
        cell.quotePrefix = True


@cache
def _write_only_cell() -> Any:
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell
