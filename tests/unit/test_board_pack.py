"""The board pack's print layout, read back with openpyxl: named fonts, column widths from the
content, the register as an appendix, even rows on Network influence, the plan's Gantt-style
timeline chart and the risk matrix."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from cmio_desktop.commands.export_workbook import chosen_sheets
from cmio_desktop.io.workbook import DepartmentReadiness, RiskRow, write_workbook
from cmio_desktop.io.workbook.board_charts import OVERDUE_COLOUR, risk_counts, zone
from cmio_desktop.io.workbook.cells import LINE_HEIGHT_PT
from cmio_desktop.io.workbook.data_portfolio import ClashEntry, RedZoneEntry, SaturationGrid
from cmio_desktop.io.workbook.layout import HEADER_ROW, Column, fit_columns, header_width
from cmio_desktop.io.workbook.writer import EXECUTIVE_SHEETS, SHEET_KEYS
from tests.unit.test_workbook import make_data

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
LONG_DEPARTMENT = "Emergency Department and Urgent Care"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = make_data()
    departments = [
        DepartmentReadiness(LONG_DEPARTMENT, 14, 14, (3.8, 3.5, 3.2, 2.8, 2.6), 3.2),
        DepartmentReadiness("ICU", 10, 10, (4.6, 4.1, 4.0, 3.6, 3.3), 3.9),
    ]
    red_zone = [
        RedZoneEntry(LONG_DEPARTMENT, "Whole department", (3, 4, 5, 4, 4, 2, 3), 3.6, "High",
                     3.2, 14, True),
    ]  # fmt: skip
    saturation = SaturationGrid(
        (LONG_DEPARTMENT, "ICU"), (6.0, 6.0), (date(2027, 1, 25), date(2027, 2, 1)),
        ((5.6, 2.0), (7.6, 0.0)),
        (ClashEntry(date(2027, 2, 1), LONG_DEPARTMENT, 7.6, 6.0, True, "Over, and long"),),
    )  # fmt: skip
    path = tmp_path_factory.mktemp("pack") / "pack.xlsx"
    write_workbook(
        path,
        replace(data, departments=departments, red_zone=red_zone, saturation=saturation),
    )
    return path


def test_every_font_in_styles_xml_is_named(pack: Path) -> None:
    with zipfile.ZipFile(pack) as archive:
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    fonts = styles.findall(".//m:font", NS)
    assert len(fonts) >= 10
    names = [f.find("m:name", NS) for f in fonts]
    assert all(n is not None and n.get("val") == "Calibri" for n in names)


def test_headers_never_break_inside_a_word_and_departments_fit(pack: Path) -> None:
    book = load_workbook(pack)
    for ws in book.worksheets:
        if ws.title in ("Summary", "Notes"):
            continue
        for cell in ws[HEADER_ROW]:
            if isinstance(cell.value, str):
                width = ws.column_dimensions[cell.column_letter].width
                assert width >= header_width(cell.value) - 0.01, (ws.title, cell.value, width)
    heat = book["ADKAR heat map"]
    assert heat.column_dimensions["A"].width >= len(LONG_DEPARTMENT) * 1.1
    assert book["Red zone"].column_dimensions["A"].width >= len(LONG_DEPARTMENT) * 1.1


def test_fit_columns_from_content() -> None:
    columns = (Column("Department", 10), Column("Why listed", 20, "wrap"), Column("N", 4))
    rows = [("Patient & Family Council", "short", 3), ("ICU", "x" * 30, 12345)]
    dept, why, number = fit_columns(columns, rows)
    assert dept.width >= len("Patient & Family Council") + 2
    assert why.width >= 32  # its longest word fits
    assert number.width >= len("12,345") + 2 and number.width < 12


def test_register_and_history_are_appendices_off_by_default() -> None:
    assert "register" not in EXECUTIVE_SHEETS and "history" not in EXECUTIVE_SHEETS
    assert SHEET_KEYS[-2:] == ("register", "history")
    assert SHEET_KEYS[:8] == (
        "summary", "heatmap", "red_zone", "influence", "plan", "saturation", "go_no_go", "risks"
    )  # fmt: skip
    assert "register" not in chosen_sheets(None, False)
    assert "history" not in chosen_sheets(None, True)
    assert chosen_sheets(None, True)[-1] == "register"
    assert chosen_sheets(None, True, True)[-2:] == ["register", "history"]
    assert chosen_sheets(["risks"], True) == ["risks", "register"]


def test_influence_rows_have_even_heights(pack: Path) -> None:
    """Even, and one line each: "Why listed" is as wide as its longest reason (two-line rows
    for a few long reasons had doubled the sheet's pages)."""
    ws = load_workbook(pack)["Network influence"]
    heights = {ws.row_dimensions[r].height for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    assert heights == {LINE_HEIGHT_PT + 3}


def test_long_subtitles_wrap_across_the_table(pack: Path) -> None:
    ws = load_workbook(pack)["Network influence"]
    assert any(str(m).startswith("A2:") for m in ws.merged_cells.ranges)
    assert ws["A2"].alignment.wrap_text and ws.row_dimensions[2].height > 15


def test_plan_has_a_gantt_timeline_with_overdue_in_red(pack: Path) -> None:
    ws = load_workbook(pack)["Engagement plan"]
    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.type == "bar" and chart.grouping == "stacked"
    offset, length = chart.series
    assert offset.graphicalProperties.noFill  # bars start at their start date
    colours = [str(p.graphicalProperties.solidFill.srgbClr) for p in length.dPt]
    titles = [r[1].value for r in ws.iter_rows() if r[1].value in {"Town hall", "Surgeon 1:1s"}]
    assert titles  # the timeline table lists the dated activities
    assert colours.count(OVERDUE_COLOUR) == 1  # "Town hall" is overdue
    assert len(ws.row_breaks.brk) == 1  # the timeline starts its own page


def test_risk_matrix_counts_open_risks_by_zone(pack: Path) -> None:
    ws = load_workbook(pack)["Risks"]
    start = next(
        r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Risk matrix")
    )
    grid = {
        (ws.cell(row, 1).value, impact): ws.cell(row, 1 + impact)
        for row in range(start + 2, start + 7)
        for impact in range(1, 6)
    }
    assert grid[(3, 5)].value == 1 and grid[(4, 5)].value == 1
    assert grid[(1, 1)].value is None
    assert grid[(4, 5)].fill.fgColor.rgb.endswith("FFC7CE")  # red zone
    assert grid[(1, 1)].fill.fgColor.rgb.endswith("C6EFCE")  # green zone


def test_risk_zones_and_closed_risks() -> None:
    assert [zone(s) for s in (25, 15, 14, 8, 7, 1)] == ["red", "red", "amber", "amber", "green",
                                                        "green"]  # fmt: skip
    risks = [
        RiskRow("a", 2, 3, "Major", "Open", "", ""),
        RiskRow("b", 2, 3, "Major", "Closed", "", ""),
    ]
    assert risk_counts(risks) == {(2, 3): 1}


def test_why_listed_widens_to_keep_influence_rows_one_line() -> None:
    from types import SimpleNamespace

    from cmio_desktop.io.workbook.cells import wrapped_lines
    from cmio_desktop.io.workbook.sheets_people import (
        INFLUENCE_COLUMNS,
        REASON_COLUMN,
        REASON_MAX_WIDTH,
        _one_line_reasons,
    )

    reason = "resistant, desire 1; key player, power (rated) 5; readiness 1.4; broker 0.12"
    data = SimpleNamespace(influence=[SimpleNamespace(reason=reason)])
    width = _one_line_reasons(INFLUENCE_COLUMNS, data)[REASON_COLUMN].width  # type: ignore[arg-type]
    assert wrapped_lines(reason, INFLUENCE_COLUMNS[REASON_COLUMN].width) == 2  # as designed
    assert wrapped_lines(reason, width) == 1 and width < REASON_MAX_WIDTH
    data.influence.append(SimpleNamespace(reason="x" * 300))  # no page for that: it wraps
    assert _one_line_reasons(INFLUENCE_COLUMNS, data)[REASON_COLUMN].width == REASON_MAX_WIDTH  # type: ignore[arg-type]
