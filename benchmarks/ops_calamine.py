"""The register import next to the hardest floor: a Rust reader and raw sqlite3.

Operation: the whole import of the register file (as ``cmio export-register`` writes it) into
an empty workspace: read, check every row, plan, commit with audit rows (as in
:mod:`.ops_import`).

Floor: python-calamine (Rust bindings to calamine) reading the sheet + raw sqlite3
``executemany`` of the same people rows (lists turned from labels to stored values by a dict
look-up, flags to 0/1, nothing checked, no audit rows) into a fresh workspace in one
transaction, with the app's pragmas: the least any import of that file into that schema has to
do. The app reads such a file with python-calamine too, but only after its own checks
(``cmio_desktop/io/xlsx_calamine.py``: sizes, CRCs and cell types proven first, which the
floor skips), then checks every cell, plans and writes an audit row per person. Run it alone
with ``python -m benchmarks --only calamine``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, measure
from benchmarks.ops_import import full_import, register_file
from benchmarks.ops_store import Fixture, _insert_sql, _raw_connection
from cmio_desktop.enums import Attitude, Role, StakeholderGroup
from cmio_desktop.store import create_workspace

TARGET = 1.5

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
    "Power (rated)": ("power", int),
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
            missing = set(_FLOOR_COLUMNS) - set(header)
            assert not missing, f"register headers renamed? {sorted(missing)}"
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


def run(fx: Fixture, repeats: int) -> list[Result]:
    path = register_file(fx)
    return [
        measure(
            fx.size,
            "import register xlsx (read+check+plan+commit)",
            full_import(fx, path),
            "python-calamine read + raw sqlite3 executemany",
            calamine_sqlite_floor(fx, path),
            repeats,
            target=TARGET,
            note="same file as above; floor: unchecked Rust read, no checks, no audit rows",
        )
    ]
