"""Importing a stakeholder register workbook.

Two files hold the fixture's register (21 columns, every person, as exported: the 20 stored
fields plus the read-only network influence, which the import ignores):

* as ``cmio export-register`` writes it (openpyxl write-only: inline strings, no declared
  ``<dimension>``, so bare openpyxl parses the sheet twice, once only to look for its size);
* the same shaped as Excel saves it: shared strings and a declared dimension (openpyxl then
  reads the sheet once, plus the shared-strings part).

Operations:

* the whole import into an empty workspace: read the sheet, check every row, plan (the dry
  run) and commit (every person new: inserts plus audit rows, one transaction);
* the read + check + plan part alone (what the wizard does before the user presses Import).

Floor: bare openpyxl ``read_only`` iteration over the same sheet (values only), which is the
least any import of that file has to do with openpyxl. :mod:`.ops_calamine` measures the same
import against a harder floor.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, measure
from benchmarks.ops_store import Fixture
from cmio_desktop.services.importing.pipeline import prepare_import
from cmio_desktop.services.importing.run import commit_import
from cmio_desktop.services.stakeholders.register_export import export_register
from cmio_desktop.store import create_workspace, open_workspace
from tests.unit.io.files import excel_shaped

TARGET = 1.3


def register_file(fx: Fixture) -> Path:
    path = fx.workdir / f"register-{fx.size}.xlsx"
    if not path.exists():
        ws = open_workspace(fx.populated)
        try:
            export_register(ws, path)
        finally:
            ws.close()
    return path


def excel_shaped_file(fx: Fixture) -> Path:
    path = fx.workdir / f"register-{fx.size}-excel-shaped.xlsx"
    if not path.exists():
        staging = path.with_suffix(".tmp")
        shutil.copyfile(register_file(fx), staging)
        excel_shaped(staging)
        staging.replace(path)
    return path


def full_import(fx: Fixture, path: Path) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        ws = create_workspace(fx.fresh_path("import"))

        def run() -> None:
            try:
                _source, _validation, plan = prepare_import(ws, path, "stakeholders")
                outcome = commit_import(ws, plan)
                assert outcome.created == len(fx.people), outcome
            finally:
                ws.close()

        return run

    return prepare


def dry_run(fx: Fixture, path: Path) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        ws = create_workspace(fx.fresh_path("dry-run"))

        def run() -> None:
            try:
                _source, _validation, plan = prepare_import(ws, path, "stakeholders")
                assert len(plan.new) == len(fx.people) and not plan.rejected
            finally:
                ws.close()

        return run

    return prepare


def openpyxl_floor(path: Path) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        def run() -> int:
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True)
            try:
                rows = 0
                for _row in book.worksheets[0].iter_rows(values_only=True):
                    rows += 1
                return rows
            finally:
                book.close()

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    n = fx.size
    path = register_file(fx)
    excel = excel_shaped_file(fx)
    floor = "openpyxl read_only iteration"
    return [
        measure(
            n,
            "import register xlsx (read+check+plan+commit)",
            full_import(fx, path),
            floor,
            openpyxl_floor(path),
            repeats,
            target=TARGET,
            note=f"{n:,} new people, 21 columns; file as cmio exports it",
        ),
        measure(
            n,
            "import Excel-shaped register (read+check+plan+commit)",
            full_import(fx, excel),
            floor,
            openpyxl_floor(excel),
            repeats,
            target=TARGET,
            note="same rows; shared strings and a declared size, as Excel saves",
        ),
        measure(
            n,
            "import dry run (read+check+plan)",
            dry_run(fx, path),
            floor,
            openpyxl_floor(path),
            repeats,
            note="no commit",
        ),
    ]
