"""Write the executive workbook: chosen sheets, optional anonymising, atomic replacement.

The workbook is streamed (openpyxl write-only mode, lxml) into a temporary file beside the
target, which then replaces the target in one step; a failure or a cancel leaves any earlier
file as it was and no temporary file behind. Errors reach the user as
:class:`~cmio_desktop.io.register_export.ExportError` sentences.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from cmio_desktop.io.export_target import (
    ExportCancelled,
    ExportError,
    check_target,
    replace_target,
    temp_beside,
    write_failed,
)
from cmio_desktop.io.workbook import sheets_people as people
from cmio_desktop.io.workbook import sheets_plan as plan
from cmio_desktop.io.workbook.anonymise import anonymise
from cmio_desktop.io.workbook.cells import BookContext
from cmio_desktop.io.workbook.data import WorkbookData
from cmio_desktop.io.workbook.data_history import HISTORY, OPT_IN_SHEETS, check_history_choice
from cmio_desktop.io.workbook.notes import write_notes
from cmio_desktop.io.workbook.sheet_history import write_history
from cmio_desktop.io.workbook.sheets_portfolio import write_red_zone, write_saturation
from cmio_desktop.io.workbook.summary import write_summary

Progress = Callable[[int, str], None]
"""``progress(percent, text)``."""
SheetFn = Callable[[BookContext, Any, WorkbookData, Callable[[int], None]], None]


@dataclass(frozen=True)
class SheetSpec:
    key: str
    title: str  # the worksheet's name (Excel forbids / \ ? * [ ] : in it)
    label: str  # for the export dialog
    write: SheetFn


# Board order for a 10-minute slot: summary, readiness and the red zone, key resisters and the
# plan, saturation, go/no-go, risks; then the appendices (grid, communications, training, and the
# full register and the history, which the executive pack leaves out unless asked for).
SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("summary", "Summary", "Summary with charts", write_summary),
    SheetSpec("heatmap", "ADKAR heat map", "ADKAR heat map", people.write_heatmap),
    SheetSpec("red_zone", "Red zone", "Red zone: change impact and readiness", write_red_zone),
    SheetSpec(
        "influence",
        "Network influence",
        "Key resisters and champions",
        people.write_influence,
    ),  # fmt: skip
    SheetSpec("plan", "Engagement plan", "Engagement plan and timeline", plan.write_plan),
    SheetSpec(
        "saturation", "Saturation", "Saturation across initiatives", write_saturation
    ),  # fmt: skip
    SheetSpec("go_no_go", "Go-no-go", "Go/no-go criteria", plan.write_go_no_go),
    SheetSpec("risks", "Risks", "Risks and risk matrix", plan.write_risks),
    SheetSpec("grid", "Power-interest grid", "Appendix: power/interest grid", people.write_grid),
    SheetSpec(
        "communications", "Communications", "Appendix: communications", plan.write_communications
    ),  # fmt: skip
    SheetSpec("training", "Training", "Appendix: training completion", plan.write_training),
    SheetSpec(
        "register", "Stakeholders", "Appendix: full stakeholder register", people.write_register
    ),  # fmt: skip
    SheetSpec(HISTORY, "History", "Appendix: history of changes", write_history),  # fmt: skip
)
SHEET_KEYS: tuple[str, ...] = tuple(s.key for s in SHEETS)
APPENDIX_REGISTER = "register"
EXECUTIVE_SHEETS: tuple[str, ...] = tuple(
    k for k in SHEET_KEYS if k != APPENDIX_REGISTER and k not in OPT_IN_SHEETS
)
"""The default executive (board) pack: every sheet but the full register and the history."""
DEFAULT_SHEETS: tuple[str, ...] = tuple(k for k in SHEET_KEYS if k not in OPT_IN_SHEETS)
"""``sheets=None``: every sheet but those written only when named (the history)."""
NOTES_TITLE = "Notes"


@dataclass(frozen=True)
class WorkbookResult:
    path: Path
    sheets: tuple[str, ...]
    people: int
    adjusted_cells: int
    neutralised_cells: int
    anonymised: bool


def write_workbook(
    path: str | Path,
    data: WorkbookData,
    *,
    sheets: Collection[str] | None = None,
    anonymised: bool = False,
    pseudonym_key: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> WorkbookResult:
    """Write the workbook for ``data`` to ``path`` (.xlsx), replacing any file there only once
    the new one is complete. ``sheets`` are keys of :data:`SHEETS` (default:
    :data:`DEFAULT_SHEETS`); ``pseudonym_key`` (anonymised only) makes the pseudonyms stable
    across exports. An anonymised workbook with the History sheet is refused."""
    wanted = DEFAULT_SHEETS if sheets is None else sheets
    chosen = [s for s in SHEETS if s.key in wanted]
    unknown = set(sheets or ()) - set(SHEET_KEYS)
    if unknown:
        raise ValueError(f"unknown sheets: {', '.join(sorted(unknown))}")
    if not chosen:
        raise ExportError("Choose at least one sheet to export.")
    check_history_choice(wanted, anonymised)
    target = Path(path)
    check_target(target)
    report = progress or (lambda _p, _t: None)
    stop = cancelled or (lambda: False)
    if anonymised:
        report(1, "Anonymising names…")
        data = anonymise(data, key=pseudonym_key)  # random pseudonyms unless a key is kept
    temp = temp_beside(target)
    try:
        ctx = _write(temp, data, chosen, anonymised, report, stop)
        replace_target(temp, target)
    except OSError as error:  # a full disk or a folder that turned read-only
        with contextlib.suppress(OSError):
            temp.unlink()
        raise write_failed(error, target) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    report(100, "Done")
    return WorkbookResult(
        target,
        tuple(s.title for s in chosen) + (NOTES_TITLE,),
        len(data.register),
        len(ctx.notes),
        ctx.neutralised,
        anonymised,
    )


def _write(
    temp: Path,
    data: WorkbookData,
    chosen: list[SheetSpec],
    anonymised: bool,
    report: Progress,
    stop: Callable[[], bool],
) -> BookContext:
    book = Workbook(write_only=True)
    book.properties.creator = "CMIO Desktop"
    book.properties.title = "Go-live readiness briefing"
    ctx = BookContext()
    try:
        _write_sheets(book, ctx, data, chosen, anonymised, report, stop)
    except BaseException:
        _discard(book)
        raise
    report(90, "Saving the workbook…")
    book.save(temp)  # an OSError here (a full disk) is reported by write_workbook
    return ctx


def _write_sheets(
    book: Any,
    ctx: BookContext,
    data: WorkbookData,
    chosen: list[SheetSpec],
    anonymised: bool,
    report: Progress,
    stop: Callable[[], bool],
) -> None:
    # progress units: one per sheet, plus one per 500 register rows; saving is the last 10 %
    weights = {s.key: 1 + (len(data.register) // 500 if s.key == "register" else 0) for s in chosen}
    total = sum(weights.values()) + 1
    done = 0

    for spec in chosen:
        report(_percent(done, total), f"Writing {spec.label.lower()}…")

        def tick(rows: int, spec: SheetSpec = spec, base: int = done) -> None:
            if stop():
                raise ExportCancelled()
            if rows and spec.key == "register":
                report(_percent(base + rows / 500, total), f"Writing {spec.label.lower()}…")

        if stop():
            raise ExportCancelled()
        spec.write(ctx, book.create_sheet(spec.title), data, tick)
        done += weights[spec.key]
    write_notes(
        ctx,
        book.create_sheet(NOTES_TITLE),
        data,
        anonymised=anonymised,
        sheets=[s.title for s in chosen],
    )
    if stop():
        raise ExportCancelled()


def _discard(book: Any) -> None:
    """After a failure: end each sheet's open XML stream in order and delete its temporary
    file now (openpyxl would otherwise complain when collecting them, and keep the files until
    the program exits)."""
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        rows = getattr(ws, "_rows", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def _percent(done: float, total: float) -> int:
    return min(89, 2 + int(87 * done / total))
