"""The Red zone, Saturation and History sheets of the executive workbook, written from a real
sample workspace to tmp_path and read back with openpyxl: the figures are the service
functions' (``portfolio.impact.red_zone``, ``portfolio.load.portfolio``, ``history``), and the
History sheet is opt-in and never anonymised."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from cmio_desktop.cli import main
from cmio_desktop.io.export_target import ExportError
from cmio_desktop.io.workbook.layout import HEADER_ROW
from cmio_desktop.io.workbook.writer import DEFAULT_SHEETS, SHEETS
from cmio_desktop.models.impact import IMPACT_ASPECTS
from cmio_desktop.services.audit_marks import recorded_as
from cmio_desktop.services.history import HistoryFilter, history
from cmio_desktop.services.portfolio.impact import red_zone, set_impact
from cmio_desktop.services.portfolio.load import portfolio, save_thresholds
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.services.workbook.data import export_workbook
from cmio_desktop.store import Workspace, create_workspace, open_workspace
from tests.conftest import SAMPLE_TODAY

RED_FILL, AMBER_FILL = "FFC7CE", "FFEB9C"
LONG_NOTE = "=HYPERLINK(1) " + "prefers the downtime drill after the order-set build " * 2


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, with a role's own rating, a lower threshold for Periop, and changes to the
    register (one of them made by an undo) so every sheet has something to show."""
    from cmio_desktop.sample import generate_sample

    path = tmp_path_factory.mktemp("sample") / "s.cmio"
    ws = create_workspace(path, organisation="Riverside Health")
    try:
        summary = generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)
        transformed = dict.fromkeys(IMPACT_ASPECTS, 5)
        set_impact(ws, summary.initiative_id, "Radiology", "allied_health", transformed)
        save_thresholds(ws, {"Periop": 3.0})
        person = edits.create_stakeholder(ws, name="Quentin Zabriskie", department="Periop").id
        edits.update_stakeholder(ws, person, notes=LONG_NOTE)
        edits.update_stakeholder(ws, person, attitude="resistant")
        with recorded_as("undo"):
            edits.update_stakeholder(ws, person, attitude="neutral")
    finally:
        ws.close()
    return path


@pytest.fixture
def ws(sample_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(sample_path)
    yield workspace
    workspace.close()


def _export(ws: Workspace, path: Path, **options: Any) -> Any:
    return export_workbook(ws, path, 1, today=SAMPLE_TODAY, **options)


def _read(path: Path) -> Any:
    return load_workbook(path)


def _table(sheet: Any, first: int = HEADER_ROW) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The header and the rows under it, up to the first blank row."""
    header = [c.value for c in sheet[first]]
    rows = []
    for values in sheet.iter_rows(min_row=first + 1, values_only=True):
        if all(v is None for v in values):
            break
        rows.append(values)
    return header, rows


@pytest.fixture(scope="module")
def full_book(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("book") / "all.xlsx"
    ws = open_workspace(sample_path)
    try:
        _export(ws, path, sheets=[s.key for s in SHEETS])
    finally:
        ws.close()
    book = _read(path)
    yield book
    book.close()


def test_red_zone_sheet_shows_the_app_red_zone_worst_first(full_book: Any, ws: Workspace) -> None:
    expected = {r.department: r for r in red_zone(ws, 1)}
    sheet = full_book["Red zone"]
    header, rows = _table(sheet)
    assert header[:2] == ["Department", "Rated for"]
    assert header[2:9] == [
        "People", "Process", "Technology", "Workflow", "Training hours", "Job role", "Reporting",
    ]  # fmt: skip
    assert header[9:] == ["Impact score", "Degree of impact", "Readiness", "Assessed", "Red zone"]
    assert [r[0] for r in rows] and {r[0] for r in rows} == set(expected)
    for department, rated_for, *rest in rows:
        aspects, (score, degree, readiness, assessed, flag) = rest[:7], rest[7:]
        want = expected[department]
        assert want.rating is not None
        assert rated_for == ("Allied health" if department == "Radiology" else "Whole department")
        assert aspects == [want.rating.aspects[a] for a in IMPACT_ASPECTS]
        assert score == pytest.approx(want.score)
        assert degree == want.degree.capitalize()
        assert readiness == pytest.approx(want.readiness)
        assert (assessed or 0) == want.assessed
        assert (flag == "Red zone") is want.red
    flags = [r[-1] == "Red zone" for r in rows]
    assert flags == sorted(flags, reverse=True) and any(flags)  # the red zone first
    red = [r for r in rows if r[-1] == "Red zone"]
    assert [r[11] for r in red] == sorted(r[11] for r in red)  # least ready first
    radiology = next(r for r in rows if r[0] == "Radiology")
    assert radiology[1] == "Allied health" and radiology[10] == "High"  # the role's rating
    assert "in the red zone" in sheet["A2"].value
    rules = {str(cf.sqref): cf.rules for cf in sheet.conditional_formatting}
    last = HEADER_ROW + len(rows)
    assert f"C{HEADER_ROW + 1}:I{last}" in rules  # the aspects' colour scale
    assert {r.formula[0] for r in rules[f"K{HEADER_ROW + 1}:K{last}"]} == {
        '"High"', '"Medium"', '"Low"'
    }  # fmt: skip
    assert rules[f"N{HEADER_ROW + 1}:N{last}"][0].formula == ['"Red zone"']
    assert sheet.freeze_panes == f"B{HEADER_ROW + 1}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    notes = [c.value for c in full_book["Notes"]["A"]]
    assert "Change impact and red zone" in notes and "Change load and clashes" in notes


def test_saturation_sheet_has_the_app_load_thresholds_and_clashes(
    full_book: Any, ws: Workspace
) -> None:
    found = portfolio(ws)
    sheet = full_book["Saturation"]
    header, rows = _table(sheet)
    assert header == ["Week of", *found.departments, "Departments over"]
    thresholds = [c.value for c in sheet[HEADER_ROW - 1]][1:-1]
    assert thresholds == [found.threshold(d) for d in found.departments]
    assert thresholds[found.departments.index("Periop")] == 3.0
    weeks = [r[0].date() for r in rows]
    assert weeks[0] == found.weeks[0] and weeks[-1] == found.weeks[-1]
    assert set(found.weeks) <= set(weeks)
    assert all((b - a).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))
    over_seen = 0
    for index, week in enumerate(weeks):
        for column, department in enumerate(found.departments, start=2):
            cell = sheet.cell(HEADER_ROW + 1 + index, column)
            hours = found.hours(department, week)
            assert (cell.value or 0.0) == pytest.approx(hours)
            fill = cell.fill.fgColor.rgb if cell.fill.fill_type else ""
            over = hours > found.threshold(department)
            assert fill.endswith(RED_FILL) is over
            over_seen += over
        over_here = sum(
            found.hours(d, week) > found.threshold(d) for d in found.departments
        )  # fmt: skip
        assert (rows[index][-1] or 0) == over_here
    assert over_seen >= 1
    # the clashes, under the grid, in the app's words and order
    titles = [
        r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 1).value).startswith("Clashes")
    ]
    assert titles
    listed = [
        (sheet.cell(r, 1).value.date(), sheet.cell(r, 2).value)
        for r in range(titles[0] + 2, sheet.max_row + 1)
        if sheet.cell(r, 2).value
    ]
    assert listed == [(c.week, c.sentence) for c in found.clashes]
    saturated = next(c for c in found.clashes if c.saturated)
    row = titles[0] + 2 + found.clashes.index(saturated)
    assert sheet.cell(row, 1).fill.fgColor.rgb.endswith(RED_FILL)
    assert any(f"B{row}:" in str(m) for m in sheet.merged_cells.ranges)


def test_history_sheet_is_the_audit_trail_with_undo_marked(full_book: Any, ws: Workspace) -> None:
    expected = history(ws, HistoryFilter(limit=10_000))
    sheet = full_book["History"]
    header, rows = _table(sheet)
    assert header == [
        "When", "User", "Record", "Action", "Field", "Old value", "New value", "Undo / redo"
    ]  # fmt: skip
    assert len(rows) == len(expected) >= 4
    for got, want in zip(rows, expected, strict=True):
        when, user, record, _action, field, old, new, mark = got
        assert isinstance(when, datetime)
        assert abs((when - want.at).total_seconds()) < 0.01
        assert (user, record, old or "", new or "") == (want.user, want.record, want.old, want.new)
        assert (field or "").casefold() == want.field.replace("_", " ").casefold()
        assert (mark == "Undo") is want.is_undo
    undone = rows[0]  # newest first: the undo
    assert undone[2] == "Person: Quentin Zabriskie" and undone[4] == "Attitude"
    assert (undone[5], undone[6], undone[7]) == ("resistant", "neutral", "Undo")
    assert sheet.cell(HEADER_ROW + 1, 1).number_format == "d mmm yyyy hh:mm"
    assert sheet.cell(HEADER_ROW + 1, 8).fill.fgColor.rgb.endswith(AMBER_FILL)  # marked
    noted = next(
        r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(r, 5).value == "Notes"
    )
    long_cell = sheet.cell(noted, 7)
    assert (
        long_cell.value == LONG_NOTE.strip() and long_cell.data_type == "s"
    )  # text, not a formula
    assert long_cell.alignment.wrap_text and sheet.row_dimensions[noted].height > 15


def test_history_is_left_out_by_default_and_of_anonymised_exports(
    ws: Workspace, tmp_path: Path
) -> None:
    assert "history" not in DEFAULT_SHEETS
    plain = _export(ws, tmp_path / "plain.xlsx")
    assert "History" not in plain.sheets and "Red zone" in plain.sheets
    anonymous = _export(ws, tmp_path / "anon.xlsx", anonymised=True)
    assert "History" not in anonymous.sheets and "Saturation" in anonymous.sheets
    book = _read(tmp_path / "anon.xlsx")
    try:
        assert "History" not in book.sheetnames
        text = "\n".join(str(c.value) for s in book for row in s.iter_rows() for c in row)
        assert "Zabriskie" not in text
        header, rows = _table(book["Red zone"])
        small = next(r for r in rows if r[0] == "Support Services")  # 3 people assessed
        assert small[12] == "<5" and small[11] is None
    finally:
        book.close()
    with pytest.raises(ExportError, match="never part of an anonymised workbook"):
        _export(ws, tmp_path / "refused.xlsx", sheets=["summary", "history"], anonymised=True)
    assert not (tmp_path / "refused.xlsx").exists()


def test_history_only_with_the_option(ws: Workspace, tmp_path: Path) -> None:
    result = _export(ws, tmp_path / "h.xlsx", sheets=["history"])
    assert result.sheets == ("History", "Notes")
    book = _read(tmp_path / "h.xlsx")
    try:
        assert book.sheetnames == ["History", "Notes"]
    finally:
        book.close()


def test_cli_history_option_and_its_refusal_with_anonymise(
    sample_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "briefing.xlsx"
    assert main(["export", str(sample_path), str(out), "--today", "2026-11-02"]) == 0
    book = _read(out)
    try:
        assert "History" not in book.sheetnames
        assert {"Red zone", "Saturation"} <= set(book.sheetnames)
    finally:
        book.close()
    assert main(["export", str(sample_path), str(out), "--history"]) == 0
    book = _read(out)
    try:
        assert book.sheetnames[-2:] == ["History", "Notes"]
    finally:
        book.close()
    capsys.readouterr()
    refused = tmp_path / "anon.xlsx"
    assert main(["export", str(sample_path), str(refused), "--history", "--anonymise"]) == 1
    err = capsys.readouterr().err
    assert "History sheet cannot go into an anonymised workbook" in err
    assert "Traceback" not in err and not refused.exists()
    assert (
        main(["export", str(sample_path), str(refused), "--sheets", "history", "--anonymise"]) == 1
    )
    assert "cannot go into an anonymised workbook" in capsys.readouterr().err


def test_sheets_say_so_when_there_is_nothing_to_show(tmp_path: Path) -> None:
    path = tmp_path / "empty.cmio"
    ws = create_workspace(path, organisation="Empty Health")
    try:
        from cmio_desktop.services.initiatives import create_initiative

        create_initiative(ws, name="Nothing yet", go_live=date(2027, 1, 4))
        export_workbook(ws, tmp_path / "e.xlsx", sheets=["red_zone", "saturation", "history"])
    finally:
        ws.close()
    book = _read(tmp_path / "e.xlsx")
    try:
        assert book["Red zone"].cell(HEADER_ROW + 1, 1).value == (
            "No change impact rated for this initiative."
        )
        assert str(book["Saturation"].cell(HEADER_ROW + 1, 1).value).startswith("No load yet")
        assert book["History"].cell(HEADER_ROW + 1, 3).value  # the workspace's creation
    finally:
        book.close()
