"""Writing the executive workbook's stakeholder register sheet; and the board pack of the
first-run sample with and without the portfolio sheets.

Operation: ``write_workbook(path, data, sheets={"register"})`` from plain data (the fixture's
register read once through ``services.workbook_data.workbook_register``): title block, styled
header, every person's 16 cells with text neutralised against formula injection (and checked
for characters a workbook cannot hold), autofilter, conditional formats, print set-up, the
Notes sheet, a temporary file moved into place.

Board pack (sample): ``export_workbook`` of the 120-person first-run sample with the default
pack of ``cmio export``, gathering included. Floor: the same export without the Red zone and
Saturation sheets (the pack as it was before them), so the ratio is what those two sheets cost.
Measured once per run (the sample does not grow with ``--sizes``).

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


SAMPLE_PEOPLE = 120
PORTFOLIO_SHEETS = ("red_zone", "saturation")
PACK_TARGET = 1.3
_sample_measured: list[bool] = []


def sample_pack(fx: Fixture, sheets: list[str], stem: str) -> Callable[[], Callable[[], Any]]:
    source = fx.workdir / "sample-120.cmio"
    if not source.exists():
        from cmio_desktop.sample import generate_sample
        from cmio_desktop.store import create_workspace

        ws = create_workspace(source, organisation="Riverside Health")
        try:
            generate_sample(ws, people=SAMPLE_PEOPLE, seed=3, today=date(2026, 11, 2))
        finally:
            ws.close()

    def prepare() -> Callable[[], Any]:
        from cmio_desktop.services.workbook.data import export_workbook

        path = _fresh(fx, stem)
        ws = open_workspace(source)

        def run() -> None:
            try:
                export_workbook(ws, path, sheets=sheets, today=date(2026, 11, 2))
            finally:
                ws.close()

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    from cmio_desktop.commands.export_workbook import chosen_sheets

    data = register_data(fx)
    results = [
        measure(fx.size, "workbook: register sheet (16 columns)", register_sheet(fx, data),
                "bare openpyxl write_only", bare_openpyxl(fx, data), repeats, target=TARGET,
                note=f"{len(data.register):,} rows; safe text, filter, formats, print set-up"),
    ]  # fmt: skip
    if not _sample_measured:
        _sample_measured.append(True)
        pack = chosen_sheets(None, False)
        before = [k for k in pack if k not in PORTFOLIO_SHEETS]
        results.append(
            measure(SAMPLE_PEOPLE, "workbook: board pack of the sample",
                    sample_pack(fx, pack, "pack"), "the pack without red zone and saturation",
                    sample_pack(fx, before, "pack-before"), repeats, target=PACK_TARGET,
                    note=f"{len(pack)} sheets and Notes, data gathered from the workspace")
        )  # fmt: skip
    return results
