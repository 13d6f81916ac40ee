"""Writing the executive workbook's stakeholder register sheet.

Operation: ``write_workbook(path, data, sheets={"register"})`` from plain data (the fixture's
register read once through ``services.workbook_data.workbook_register``): title block, styled
header, every person's 16 cells with text neutralised against formula injection (and checked
for characters a workbook cannot hold), autofilter, conditional formats, print set-up, the
Notes sheet, a temporary file moved into place.

Floor: bare openpyxl ``write_only`` with lxml, appending the same values (tuples prepared
outside the timing) under a plain header row and saving: the least any writer of those cells
does. Peak memory (tracemalloc) shows that the sheet is streamed, not held.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, measure
from benchmarks.ops_store import Fixture
from cmio_desktop.io.workbook import WorkbookData, WorkbookMeta
from cmio_desktop.io.workbook.sheets_people import REGISTER_COLUMNS, REGISTER_FIELDS
from cmio_desktop.io.workbook.writer import write_workbook
from cmio_desktop.services.workbook.data import workbook_register
from cmio_desktop.store import open_workspace

TARGET = 1.2


def register_data(fx: Fixture) -> WorkbookData:
    ws = open_workspace(fx.populated)
    try:
        rows = workbook_register(ws)
    finally:
        ws.close()
    meta = WorkbookMeta("Benchmark Health", "Benchmark go-live", date(2026, 11, 2))
    return WorkbookData(meta=meta, register=rows)


def _fresh(fx: Fixture, stem: str) -> Path:
    path = fx.fresh_path(stem).with_suffix(".xlsx")
    path.unlink(missing_ok=True)
    return path


def register_sheet(fx: Fixture, data: WorkbookData) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        path = _fresh(fx, "workbook")

        def run() -> None:
            write_workbook(path, data, sheets={"register"})

        return run

    return prepare


def bare_openpyxl(fx: Fixture, data: WorkbookData) -> Callable[[], Callable[[], Any]]:
    header = [c.header for c in REGISTER_COLUMNS]
    # the same cells: the workbook leaves empty text cells out, so the floor does too
    rows = [tuple(None if v == "" else v for v in REGISTER_FIELDS(r)) for r in data.register]

    def prepare() -> Callable[[], Any]:
        path = _fresh(fx, "bare")

        def run() -> None:
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            ws = book.create_sheet("Stakeholders")
            ws.append(header)
            for row in rows:
                ws.append(row)
            book.save(path)

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    data = register_data(fx)
    return [
        measure(fx.size, "workbook: register sheet (16 columns)", register_sheet(fx, data),
                "bare openpyxl write_only", bare_openpyxl(fx, data), repeats, target=TARGET,
                note=f"{len(data.register):,} rows; safe text, filter, formats, print set-up"),
    ]  # fmt: skip
