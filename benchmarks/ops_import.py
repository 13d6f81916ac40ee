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

Floors:

* bare openpyxl ``read_only`` iteration over the same sheet (values only), which is the least
  any import of that file has to do with openpyxl;
* python-calamine (Rust) reading the sheet + raw sqlite3 ``executemany`` of the same people
  rows (lists turned from labels to stored values by a dict look-up, flags to 0/1, nothing
  checked, no audit rows) into a fresh workspace, one transaction: the least any import
  of that file into that schema has to do. python-calamine is not the app's reader (see
  benchmarks/RESULTS.md for why); it is only a yardstick here, and the row is skipped when it
  is not installed (``pip install python-calamine``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cmio_desktop.models.enums import Attitude, Role, StakeholderGroup
from cmio_desktop.services.import_pipeline import prepare_import
from cmio_desktop.services.import_register import export_register
from cmio_desktop.services.importing import commit_import
from cmio_desktop.store import create_workspace, open_workspace
from tests.unit.io.files import excel_shaped

from .harness import Result, measure
from .ops_store import Fixture, _insert_sql, _raw_connection

TARGET = 1.3
CALAMINE_TARGET = 1.5


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


# Register header → (stakeholder column, conversion of the cell).
_VALUES = {m.label: m.value for e in (Role, StakeholderGroup, Attitude) for m in e}


def _text(v: Any) -> Any:
    return "" if v == "" else v


def _flag(v: Any) -> int:
    return 1 if v == "Yes" else 0


_FLOOR_COLUMNS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "External ID": ("external_id", lambda v: v or None),
    "Name": ("name", _text),
    "Title": ("title", _text),
    "Role": ("role", _VALUES.__getitem__),
    "Group": ("stakeholder_group", _VALUES.__getitem__),
    "Department": ("department", _text),
    "Site": ("site", _text),
    "Email": ("email", lambda v: v or None),
    "Phone": ("phone", _text),
    "Influence": ("power", int),
    "Interest": ("interest", int),
    "Attitude": ("attitude", _VALUES.__getitem__),
    "Desired attitude": ("desired_attitude", _VALUES.__getitem__),
    "Physician champion": ("physician_champion", _flag),
    "Super user": ("super_user", _flag),
    "Notes": ("notes", _text),
    "Committee": ("is_body", _flag),
    "Salience: power": ("salience_power", _flag),
    "Salience: legitimacy": ("salience_legitimacy", _flag),
    "Salience: urgency": ("salience_urgency", _flag),
}


def calamine_sqlite_floor(fx: Fixture, path: Path) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        target = fx.fresh_path("calamine-floor")
        create_workspace(target).close()

        def run() -> int:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(path))
            rows = book.get_sheet_by_index(0).to_python()
            header = rows[0]
            picks = [(i, *_FLOOR_COLUMNS[h]) for i, h in enumerate(header) if h in _FLOOR_COLUMNS]
            columns = [c for _, c, _ in picks] + ["organisation_id", "custom_fields"]
            columns += ["created_at", "updated_at"]
            stamp = "2026-11-02 09:00:00"
            data = [
                (*(convert(row[i]) for i, _, convert in picks), 1, "{}", stamp, stamp)
                for row in rows[1:]
            ]
            conn = _raw_connection(target)
            conn.execute("BEGIN")
            conn.executemany(_insert_sql("stakeholder", columns), data)
            conn.execute("COMMIT")
            conn.close()
            assert len(data) == len(fx.people)
            return len(data)

        return run

    return prepare


def _has_calamine() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


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
        *(
            [
                measure(
                    n,
                    "import register xlsx (read+check+plan+commit)",
                    full_import(fx, path),
                    "python-calamine read + raw sqlite3 executemany",
                    calamine_sqlite_floor(fx, path),
                    repeats,
                    target=CALAMINE_TARGET,
                    note="same file; floor: Rust read, no checks, no audit rows",
                )
            ]
            if _has_calamine()
            else []
        ),
    ]
