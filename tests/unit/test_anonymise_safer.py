"""Issue 18, item 5b: anonymised exports cannot be linked (pseudonyms random per export, or
stable only for a key the user keeps), and no breakdown shows fewer than 5 people."""

from __future__ import annotations

import html
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cmio_desktop.cli import main
from cmio_desktop.io.workbook.anonymise import anonymise
from cmio_desktop.io.workbook.layout import HEADER_ROW
from cmio_desktop.io.workbook.small_cells import FEW_TEXT, OTHER_UNITS, SMALL, Few
from cmio_desktop.sample import generate_sample
from cmio_desktop.services.workbook.data import build_workbook_data, export_workbook
from cmio_desktop.store import create_workspace, open_workspace

TODAY = date(2026, 11, 2)
KEY = "a secret the CMIO keeps in a safe"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("anon") / "sample.cmio"
    ws = create_workspace(path, organisation="Riverside Health")
    generate_sample(ws, people=150, seed=11, today=TODAY)
    ws.close()
    return path


def export(sample: Path, out: Path, key: str | None = None) -> Path:
    ws = open_workspace(sample)
    try:
        export_workbook(ws, out, anonymised=True, pseudonym_key=key, today=TODAY)
    finally:
        ws.close()
    return out


def register_by_pseudonym(path: Path) -> dict[str, tuple]:
    """Pseudonym → the rest of the person's register row (everything but the name)."""
    book = load_workbook(path, read_only=True)
    try:
        rows = book["Stakeholders"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        return {row[0]: tuple(row[1:]) for row in rows if row[0]}
    finally:
        book.close()  # read-only mode keeps the file open until closed


def test_two_exports_cannot_be_linked_person_by_person(sample: Path, tmp_path: Path) -> None:
    first = register_by_pseudonym(export(sample, tmp_path / "october.xlsx"))
    second = register_by_pseudonym(export(sample, tmp_path / "november.xlsx"))
    assert len(first) == len(second) == 150
    assert sorted(first.values(), key=repr) == sorted(second.values(), key=repr)  # same people
    same = sum(first[name] == second.get(name) for name in first)
    assert same < 30  # "Nurse 3" is someone else each time (a few match by chance)


def test_a_kept_key_gives_the_same_pseudonyms_and_another_key_does_not(
    sample: Path, tmp_path: Path
) -> None:
    first = register_by_pseudonym(export(sample, tmp_path / "a.xlsx", KEY))
    again = register_by_pseudonym(export(sample, tmp_path / "b.xlsx", KEY))
    other = register_by_pseudonym(export(sample, tmp_path / "c.xlsx", "another key"))
    assert first == again
    assert set(first).isdisjoint(other)  # codes, not numbers: nothing in common


def test_the_key_itself_is_in_no_part_of_the_workbook(sample: Path, tmp_path: Path) -> None:
    out = export(sample, tmp_path / "keyed.xlsx", KEY)
    with zipfile.ZipFile(out) as book:
        text = "\n".join(
            html.unescape(book.read(n).decode("utf-8", "replace")) for n in book.namelist()
        )
    assert KEY not in text and "secret" not in text


def test_every_breakdown_suppresses_groups_of_fewer_than_5(sample: Path) -> None:
    ws = open_workspace(sample)
    try:
        data = build_workbook_data(ws, today=TODAY)
    finally:
        ws.close()
    out = anonymise(data)
    counts = [
        *(n for d in out.departments for n in (d.people, d.assessed)),
        *(t.assessed for t in out.trend),
        *(a.people for a in out.attitudes),
        *(n for q in out.quadrants for n in (q.people, q.resistant_or_unaware, q.hot_spots)),
        *(n for row in out.grid_counts for n in row),
        *(n for t in out.training for n in (t.required, t.completed)),
    ]
    small = [n for n in counts if 0 < n < SMALL]
    assert small and all(isinstance(n, Few) for n in small)  # the sample has small groups
    for d in out.departments:
        if d.assessed < SMALL:
            assert d.readiness is None and d.elements == (None,) * 5 and d.ready_share is None
    groups = Counter((r.role, r.department) for r in out.register)
    assert all(n >= SMALL for (role, unit), n in groups.items() if unit != OTHER_UNITS)
    assert any(r.department == OTHER_UNITS for r in out.register)
    # the totals still add up: a suppressed count is counted, just not shown
    assert sum(a.people for a in out.attitudes) == sum(a.people for a in data.attitudes)


def test_no_small_count_reaches_a_breakdown_cell(sample: Path, tmp_path: Path) -> None:
    book = load_workbook(export(sample, tmp_path / "cells.xlsx"))
    checked = {  # sheet → count columns (1-based) of its first table
        "ADKAR heat map": (2, 3),
        "Power-interest grid": (3, 5, 7),
        "Training": (4, 5, 7),
    }
    seen_few = 0
    for title, columns in checked.items():
        sheet = book[title]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
            if row[0].value is None:
                break  # the end of the table
            for column in columns:
                value = row[column - 1].value
                assert not (isinstance(value, int) and 0 < value < SMALL), (title, row[0].row)
                seen_few += value == FEW_TEXT
    grid = book["Power-interest grid"]
    header = next(c.row for c in grid["A"] if c.value == "Power ↓ · interest →")
    for row in grid.iter_rows(min_row=header + 1, max_row=header + 5, min_col=2, max_col=6):
        for cell in row:  # people per power × interest score
            assert not (isinstance(cell.value, int) and 0 < cell.value < SMALL)
            seen_few += cell.value == FEW_TEXT
    assert seen_few > 0


def test_cli_pseudonym_key(sample: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    args = ["--anonymise", "--sheets", "register,summary", "--today", "2026-11-02"]
    assert main(["export", str(sample), str(a), *args, "--pseudonym-key", KEY]) == 0
    assert main(["export", str(sample), str(b), *args, "--pseudonym-key", KEY]) == 0
    assert register_by_pseudonym(a) == register_by_pseudonym(b)
    capsys.readouterr()
    assert main(["export", str(sample), str(a), "--pseudonym-key", KEY]) == 1
    assert "--pseudonym-key goes with --anonymise" in capsys.readouterr().err
