"""Portfolio sheets: the Red zone (change impact × readiness per department of the initiative)
and Saturation (change load per week and department across every initiative, and the clashes).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from cmio_desktop.io.workbook.cells import (
    RAG_FILLS,
    BookContext,
    SheetWriter,
    Styled,
    rule_font,
    wrapped_lines,
)
from cmio_desktop.io.workbook.data import WorkbookData
from cmio_desktop.io.workbook.data_portfolio import IMPACT_ASPECT_LABELS, SaturationGrid
from cmio_desktop.io.workbook.layout import (
    HEADER_ROW,
    Column,
    begin_table,
    data_range,
    end_table,
    fit_columns,
    print_setup,
    set_widths,
    table_row,
    write_subtitle,
)
from cmio_desktop.io.workbook.sheets_people import Tick, readiness_scale

RED_ZONE = "Red zone"
DEGREE_RAG = {"High": "red", "Medium": "amber", "Low": "green"}

RED_ZONE_COLUMNS = (
    Column("Department", 22, "bold"),
    Column("Rated for", 20, "wrap"),
    *(Column(label, 9, "int+center") for label in IMPACT_ASPECT_LABELS),
    Column("Impact score", 8, "dec1+center"),
    Column("Degree of impact", 10, "center"),
    Column("Readiness", 10, "dec1+center"),
    Column("Assessed", 9, "int+center"),
    Column("Red zone", 10, "center"),
)
_FIRST_ASPECT = 3
_DEGREE = _FIRST_ASPECT + len(IMPACT_ASPECT_LABELS) + 1  # 1-based columns
_READINESS = _DEGREE + 1
_RED = _DEGREE + 3


def _text_rule(text: str, rag: str) -> CellIsRule:
    fill, ink = RAG_FILLS[rag]
    return CellIsRule(
        operator="equal",
        formula=[f'"{text}"'],
        fill=PatternFill("solid", fgColor=fill, bgColor=fill),
        font=rule_font(bold=rag == "red", color=ink),
    )


def _red_text(red: bool | None) -> str | None:
    return RED_ZONE if red else None


def write_red_zone(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    rows = data.red_zone
    table = [
        (r.department, r.rated_for, *(r.aspects or (None,) * len(IMPACT_ASPECT_LABELS)),
         r.score, r.degree, r.readiness, r.assessed, _red_text(r.red))
        for r in rows
    ]  # fmt: skip
    red = sum(1 for r in rows if r.red)
    columns = fit_columns(RED_ZONE_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Red zone: change impact against readiness",
        f"{len(rows):,} departments rated for this initiative, {red:,} in the red zone: high "
        "impact (mean of the seven aspects ≥ 3, or any aspect 5) with readiness below "
        f"{data.ready_threshold:g} or not yet assessed. Aspects run from 0 (no change) to 5 "
        "(transformed); a department's own rating counts, else the highest of its roles' or "
        "the all-departments rating. Worst first.",
        columns,
    )
    for values in table:
        writer.append(table_row(columns, values))
    last = end_table(writer, columns, empty_text="No change impact rated for this initiative.")
    if rows:
        first = HEADER_ROW + 1
        aspects = (
            f"{get_column_letter(_FIRST_ASPECT)}{first}:"
            f"{get_column_letter(_FIRST_ASPECT + len(IMPACT_ASPECT_LABELS) - 1)}{last}"
        )
        ws.conditional_formatting.add(
            aspects,
            ColorScaleRule(
                start_type="num", start_value=0, start_color="FFFFFF",
                mid_type="num", mid_value=3, mid_color="FFEB84",
                end_type="num", end_value=5, end_color="F8696B",
            ),
        )  # fmt: skip
        degrees = data_range(_DEGREE, first, last)
        for text, rag in DEGREE_RAG.items():
            ws.conditional_formatting.add(degrees, _text_rule(text, rag))
        ws.conditional_formatting.add(data_range(_READINESS, first, last), readiness_scale())
        ws.conditional_formatting.add(data_range(_RED, first, last), _text_rule(RED_ZONE, "red"))
    tick(0)


NEAR_SHARE = 0.75  # amber from three quarters of the threshold
ONE_PAGE_ROWS = 56  # up to this many rows (grid and clashes) print on one page, scaled down
MIN_CLASH_WIDTH = 70.0  # the clash sentences need room to the right of the week column


def _saturation_columns(grid: SaturationGrid) -> tuple[Column, ...]:
    return (
        Column("Week of", 12, "date"),
        *(Column(d, 9, "dec1+center") for d in grid.departments),
        Column("Departments over", 10, "int+center"),
    )


def _load_cell(hours: float, threshold: float) -> Any:
    if hours <= 0:
        return None
    if hours > threshold:
        return Styled(hours, "dec1+red")
    if hours >= NEAR_SHARE * threshold:
        return Styled(hours, "dec1+amber")
    return Styled(hours, "dec1+center")


def _saturation_table(grid: SaturationGrid) -> list[tuple[Any, ...]]:
    table = []
    for w, week in enumerate(grid.weeks):
        over = sum(1 for d in range(len(grid.departments)) if grid.over(w, d))
        cells = (_load_cell(h, t) for h, t in zip(grid.hours[w], grid.thresholds, strict=True))
        table.append((week, *cells, over or None))
    return table


def _widened(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """Columns right of the week wide enough, together, for the clash sentences below."""
    room = sum(c.width for c in columns[1:])
    if room >= MIN_CLASH_WIDTH or len(columns) < 2:
        return columns
    extra = (MIN_CLASH_WIDTH - room) / (len(columns) - 1)
    return (columns[0], *(replace(c, width=math.ceil(c.width + extra)) for c in columns[1:]))


def write_saturation(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    grid = data.saturation
    table = _saturation_table(grid)
    columns = _widened(fit_columns(_saturation_columns(grid), table))
    widths = tuple(c.width for c in columns)
    # the table scaffolding of layout.begin_table, with each department's threshold in the
    # row above the header (frozen with it)
    set_widths(ws, widths)
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    rows = HEADER_ROW + len(table) + (len(grid.clashes) + 3 if grid.clashes else 0)
    print_setup(ws, data.meta, fit_height=1 if rows <= ONE_PAGE_ROWS else 0)  # one board page
    writer = SheetWriter(ctx, ws, widths)
    writer.set_height(24)
    writer.append([Styled("Saturation: change load across initiatives", "title")])
    saturated = sum(1 for c in grid.clashes if c.saturated)
    names = ", ".join(grid.initiatives) or "no initiative"
    write_subtitle(
        writer,
        f"Hours per person per week that each department gives to change, across every "
        f"initiative ({names}): the activities it is in the audience of, plus the impact "
        "rating's hours in the four weeks up to each go-live. Red: over the department's "
        f"threshold (the row above the header); amber: {NEAR_SHARE:.0%} of it or more. "
        f"{len(grid.clashes):,} clashes, {saturated:,} over a threshold, listed below the grid.",
        len(columns),
    )
    writer.append(
        [Styled("Threshold", "bold+total")]
        + [Styled(t, "dec1+center+total") for t in grid.thresholds]
    )
    writer.append([Styled(c.header, "header") for c in columns])
    for values in table:
        writer.append(table_row(columns, values))
    end_table(
        writer,
        columns,
        empty_text="No load yet: no initiative has dated activities or a rated impact with a "
        "go-live date.",
    )
    if grid.clashes:
        _write_clashes(writer, grid, len(columns))
    tick(0)


def _write_clashes(writer: SheetWriter, grid: SaturationGrid, span: int) -> None:
    """The clashes under the grid: the week (red when over a threshold, amber when shared by
    two or more initiatives) and the app's sentence across the remaining columns."""
    ws = writer.ws
    last = get_column_letter(max(span, 2))
    room = sum(writer.widths[1:]) or MIN_CLASH_WIDTH
    writer.blank()
    writer.append([Styled(f"Clashes ({len(grid.clashes):,})", "section")])
    row = writer.append([Styled("Week of", "header"), Styled("Clash", "header")])
    ws.merged_cells.add(f"B{row}:{last}{row}")
    for clash in grid.clashes:
        lines = wrapped_lines(clash.sentence, room)
        if lines > 1:
            writer.set_height(lines * 15 + 3)
        style = "date+red" if clash.saturated else "date+amber"
        row = writer.append([Styled(clash.week, style), Styled(clash.sentence, "flow")])
        ws.merged_cells.add(f"B{row}:{last}{row}")
