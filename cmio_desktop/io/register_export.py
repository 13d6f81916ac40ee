"""Write the stakeholder register to an ``.xlsx`` workbook that imports straight back.

The headers (:data:`REGISTER_HEADERS`) are ones the importer's auto-mapping recognises, lists
are written as their labels ("Allied health", "Supportive") and flags as Yes/No, so export →
edit in Excel → import shows exactly the cells that were edited. Every stored field is written:
custom fields follow as one "Custom: NAME" column each, which import back into the custom field
of that name. "Network influence (read-only)", "Last contact (read-only)" and "Next contact
(read-only)" are computed, not stored: an import ignores them and says so. Every text cell is
neutralised against formula injection by :mod:`.xlsx_safety` without altering its value.

The sheet is written with openpyxl's write-only mode (streamed, flat memory) to a temporary file
beside the target, which then replaces the target in one step: a failed or cancelled export
leaves any earlier file untouched. Failures raise :class:`ExportError` with a message fit for
the user. openpyxl is imported on first use.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from cmio_desktop.io.export_target import (
    ExportCancelled,
    check_target,
    replace_target,
    temp_beside,
    write_failed,
)
from cmio_desktop.io.mapping import CUSTOM_PREFIX, READ_ONLY_MARK
from cmio_desktop.io.xlsx_safety import safe_row, text_cell
from cmio_desktop.stakeholder_fields import FIELDS as STAKEHOLDER_FIELDS

REGISTER_SHEET = "Register"
NETWORK_INFLUENCE = f"Network influence {READ_ONLY_MARK}"
LAST_CONTACT = f"Last contact {READ_ONLY_MARK}"
NEXT_CONTACT = f"Next contact {READ_ONLY_MARK}"
READ_ONLY_HEADERS = frozenset({NETWORK_INFLUENCE, LAST_CONTACT, NEXT_CONTACT})

# (header, width in characters): every registry field in registry order, then the computed
# network influence and contact dates; the order of the row tuples given to write_register.
REGISTER_COLUMNS: tuple[tuple[str, float], ...] = (
    *((f.label, f.export_width) for f in STAKEHOLDER_FIELDS),
    (NETWORK_INFLUENCE, 13),
    (LAST_CONTACT, 13),
    (NEXT_CONTACT, 13),
)
REGISTER_HEADERS: tuple[str, ...] = tuple(h for h, _ in REGISTER_COLUMNS)
CUSTOM_WIDTH = 18
_LISTS: dict[str, tuple[str, ...]] = {f.label: f.choices for f in STAKEHOLDER_FIELDS if f.choices}

Progress = Callable[[int, int], None]
"""``progress(rows_written, total)``."""


def register_row(
    values: Mapping[str, Any],
    *,
    network_influence: float | None = None,
    last_contact: date | None = None,
    next_contact: date | None = None,
    custom: Mapping[str, Any] | None = None,
    custom_names: Sequence[str] = (),
) -> tuple[Any, ...]:
    """One sheet row from a person's stored values by field key (enums by value or member;
    a missing key is a blank cell); the custom fields' values follow in the order of
    ``custom_names`` (see :func:`custom_headers`)."""
    custom = custom or {}
    return (
        *(f.export_value(values.get(f.key)) for f in STAKEHOLDER_FIELDS),
        None if network_influence is None else round(float(network_influence), 1),
        last_contact,
        next_contact,
        *(None if custom.get(name) == "" else custom.get(name) for name in custom_names),
    )


def custom_headers(custom_names: Sequence[str]) -> list[str]:
    """ "Custom: NAME" for each custom field, in the given order."""
    return [f"{CUSTOM_PREFIX}{name}" for name in custom_names]


def write_register(
    path: str | Path,
    rows: Iterable[Sequence[Any]],
    total: int | None = None,
    *,
    custom_names: Sequence[str] = (),
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write ``rows`` (tuples from :func:`register_row`, with the same ``custom_names``) to
    ``path``; returns the row count."""
    target = Path(path)
    check_target(target, ".xlsx", "the register")
    temp = temp_beside(target)
    try:
        count = _write(temp, rows, total, custom_names, progress, cancelled)
        replace_target(temp, target)
    except OSError as error:  # a full disk or a folder that turned read-only
        with contextlib.suppress(OSError):
            temp.unlink()
        raise write_failed(error, target) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return count


def _write(
    temp: Path,
    rows: Iterable[Sequence[Any]],
    total: int | None,
    custom_names: Sequence[str],
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    ws = book.create_sheet(REGISTER_SHEET)
    custom = custom_headers(custom_names)
    columns = [*REGISTER_COLUMNS, *((h, CUSTOM_WIDTH) for h in custom)]
    for index, (_header, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "C2"  # the header row and the ID and name columns
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    header_style, read_only_style = _header_style(), _header_style("6B7378")
    ws.append(
        [
            text_cell(ws, h, style=read_only_style if h in READ_ONLY_HEADERS else header_style)
            for h, _ in columns
        ]
    )
    count = 0
    step = 2_000
    for row in rows:
        ws.append(safe_row(ws, row))
        count += 1
        if count % step == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            if progress is not None:
                progress(count, total or count)
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    _add_lists(ws, count)
    book.save(temp)  # an OSError here (a full disk) is reported by write_register
    if progress is not None:
        progress(count, total or count)
    return count


def _header_style(colour: str = "1F5F6B") -> Callable[[Any], None]:
    """Header cells: white bold on teal; the read-only column's header on grey."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    font = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor=colour)
    alignment = Alignment(vertical="center", wrap_text=True)
    border = Border(bottom=Side(style="thin", color="12373F"))

    def apply(cell: Any) -> None:
        cell.font, cell.fill, cell.alignment, cell.border = font, fill, alignment, border

    return apply


def _add_lists(ws: Any, count: int) -> None:
    """Drop-down lists on the list columns (a warning, not a block, for other text)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last_row = max(count + 1, 2)
    for index, header in enumerate(REGISTER_HEADERS, start=1):
        choices = _LISTS.get(header)
        if choices is None:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=header,
            error=f"{header} is normally one of: {', '.join(choices)}.",
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        ws.data_validations.append(validation)
