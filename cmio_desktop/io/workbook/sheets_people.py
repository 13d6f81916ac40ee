"""People sheets: stakeholder register, power/interest grid, influence, ADKAR heat map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from cmio_desktop.io.workbook.cells import (
    RAG_FILLS,
    BookContext,
    Styled,
    data_labels,
    rule_font,
    wrapped_lines,
)
from cmio_desktop.io.workbook.data import ELEMENT_LABELS, RegisterRow, WorkbookData
from cmio_desktop.io.workbook.layout import (
    HEADER_ROW,
    Column,
    begin_table,
    data_range,
    end_table,
    fit_columns,
    table_row,
)
from cmio_desktop.stakeholder_fields import BY_KEY, WORKBOOK_FIELDS, WorkbookColumn

Tick = Callable[[int], None]
"""``tick(rows_written)``: progress, and the place where a cancel takes effect."""

TICK_EVERY = 2_000

#: The register sheet's computed columns; the others are stored fields declared in the field
#: registry (:mod:`cmio_desktop.stakeholder_fields`) with a ``workbook=`` column.
_COMPUTED = {
    "quadrant": Column("Quadrant", 15),
    "barrier": Column("Barrier point", 13),
    "flags": Column("Flags", 16),
    "network_influence": Column("Network influence", 10, "dec1"),
    "readiness": Column("Readiness", 10),
}
# Printed columns first; numbers come last among them: a right-aligned number followed by
# left-aligned text would run into it (per-cell alignment would cost a styled cell each).
_LAYOUT = (
    "name", "title", "role", "department", "quadrant", "attitude", "barrier", "flags", "power",
    "network_influence", "interest", "readiness", "group", "site", "desired_attitude", "email",
    "external_id",
)  # fmt: skip


def _register_keys() -> tuple[str, ...]:
    """The layout above (less fields the registry no longer shows), with every other field
    that has a workbook column placed after its ``after`` column (else at the end)."""
    keys = [k for k in _LAYOUT if k in _COMPUTED or BY_KEY[k].workbook is not None]
    for spec in WORKBOOK_FIELDS:
        if spec.key in keys or spec.workbook is None:
            continue
        after = spec.workbook.after
        keys.insert(keys.index(after) + 1 if after in keys else len(keys), spec.key)
    printed = [k for k in keys if k in _COMPUTED or _workbook(k).printed]
    return (*printed, *(k for k in keys if k not in printed))


def _workbook(key: str) -> WorkbookColumn:
    column = BY_KEY[key].workbook
    assert column is not None
    return column


def _column(key: str) -> Column:
    if key in _COMPUTED:
        return _COMPUTED[key]
    return Column(BY_KEY[key].label, _workbook(key).width)


REGISTER_KEYS = _register_keys()
REGISTER_COLUMNS = tuple(_column(k) for k in REGISTER_KEYS)
REGISTER_PRINTED = sum(1 for k in REGISTER_KEYS if k in _COMPUTED or _workbook(k).printed)
READINESS_COLUMN = REGISTER_KEYS.index("readiness") + 1
ATTITUDE_COLUMN = REGISTER_KEYS.index("attitude") + 1
_NOT_PRINTED = [c.header for c in REGISTER_COLUMNS[REGISTER_PRINTED:]]


def REGISTER_FIELDS(row: RegisterRow) -> tuple[Any, ...]:  # noqa: N802 (a row getter)
    """The register sheet's cells for ``row``, by column key."""
    return tuple(row.value(key) for key in REGISTER_KEYS)


QUADRANT_COLOURS = {
    "Key player": "C0392B",
    "Keep satisfied": "E67E22",
    "Keep informed": "2E86C1",
    "Monitor": "95A5A6",
}


def readiness_scale(low: float = 1, mid: float = 3, high: float = 5) -> ColorScaleRule:
    """Red (1) – amber (3) – green (5), the heat-map colours used throughout."""
    return ColorScaleRule(
        start_type="num",
        start_value=low,
        start_color="F8696B",
        mid_type="num",
        mid_value=mid,
        mid_color="FFEB84",
        end_type="num",
        end_value=high,
        end_color="63BE7B",
    )


def _text_rule(text: str, rag: str) -> CellIsRule:
    fill, ink = RAG_FILLS[rag]
    return CellIsRule(
        operator="equal",
        formula=[f'"{text}"'],
        fill=PatternFill("solid", fgColor=fill, bgColor=fill),
        font=rule_font(color=ink),
    )


def write_register(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    rows = data.register
    assessed = sum(1 for r in rows if r.readiness is not None)
    columns = fit_columns(REGISTER_COLUMNS, map(REGISTER_FIELDS, rows))
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Stakeholder register",
        f"{len(rows):,} people; readiness is each person's latest round ({assessed:,} assessed). "
        f"{_listed(_NOT_PRINTED)} {'is' if len(_NOT_PRINTED) == 1 else 'are'} not printed.",
        columns,
    )
    append, cells, fields = ws.append, writer.cells, REGISTER_FIELDS
    count = 0
    for row in rows:
        writer.row += 1
        append(cells(fields(row)))
        count += 1
        if count % TICK_EVERY == 0:
            tick(count)
    last = end_table(writer, columns, empty_text="No stakeholders recorded yet.")
    ws.print_area = f"A1:{get_column_letter(REGISTER_PRINTED)}{max(last, HEADER_ROW)}"
    if rows:
        first = HEADER_ROW + 1
        ws.conditional_formatting.add(data_range(READINESS_COLUMN, first, last), readiness_scale())
        attitudes = data_range(ATTITUDE_COLUMN, first, last)
        ws.conditional_formatting.add(attitudes, _text_rule("Resistant", "red"))
        ws.conditional_formatting.add(attitudes, _text_rule("Leading", "green"))
    tick(count)


def _listed(headers: list[str]) -> str:
    """ "Group, site and email": the headers as a sentence's subject."""
    words = [h if n == 0 else h[:1].lower() + h[1:] for n, h in enumerate(headers)]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


GRID_COLUMNS = (
    Column("Quadrant", 16, "bold"),
    Column("Strategy", 26, "wrap"),
    Column("People", 9, "int+center"),
    Column("Share", 8, "pct+center"),
    Column("Resistant or unaware", 12, "int+center"),
    Column("Mean readiness", 11, "dec1+center"),
    Column("Hot spots", 9, "int+center"),
    Column("Most powerful and interested", 60, "wrap"),
)


def write_grid(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    total = sum(q.people for q in data.quadrants)
    table = [
        (
            q.quadrant,
            q.strategy,
            q.people,
            q.people / total if total else None,
            q.resistant_or_unaware,
            q.mean_readiness,
            q.hot_spots,
            "; ".join(p.name for p in q.leading),
        )
        for q in data.quadrants
    ]
    columns = fit_columns(GRID_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Power / interest grid",
        "Mendelow quadrants on 1–5 power and interest scores; the grid below counts people "
        "per score.",
        columns,
    )
    for values in table:
        writer.append(table_row(columns, values))
    last = end_table(writer, columns, empty_text="No stakeholders recorded yet.")
    if data.quadrants:
        _quadrant_chart(ws, last)
    if data.grid_counts:
        _grid_matrix(writer, data.grid_counts)
    tick(0)


def _quadrant_chart(ws: Any, last: int) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = "People per quadrant"
    chart.style = 10
    chart.legend = None
    chart.y_axis.title = "People"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    values = Reference(ws, min_col=3, min_row=HEADER_ROW, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=last))
    series = chart.series[0]
    for index, colour in enumerate(QUADRANT_COLOURS.values()):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        series.dPt.append(point)
    series.dLbls = data_labels("0")
    chart.width, chart.height = 14, 7.5
    ws.add_chart(chart, f"H{last + 3}")


def _grid_matrix(writer: Any, counts: tuple[tuple[int, ...], ...]) -> None:
    """People per (power, interest) score: power 5 at the top, as on the app's grid."""
    ws = writer.ws
    writer.blank()
    writer.append([Styled("People by power and interest score", "section")])
    writer.append(
        [Styled("Power ↓ · interest →", "header")]
        + [Styled(i, "header+center") for i in range(1, 6)]
    )
    first = writer.row + 1
    for power in range(5, 0, -1):
        row = counts[power - 1]
        writer.append([Styled(power, "bold+center")] + [Styled(n, "center") for n in row])
    scale = ColorScaleRule(
        start_type="min", start_color="FFFFFF", end_type="max", end_color="5B8DB8"
    )
    ws.conditional_formatting.add(f"B{first}:F{writer.row}", scale)


INFLUENCE_COLUMNS = (
    Column("List", 14, "bold+top"),
    Column("Rank", 6, "int+center"),
    Column("Name", 22),
    Column("Role", 13),
    Column("Department", 19),
    Column("Network influence", 10, "dec1+center"),
    Column("Betweenness", 12, "dec3+center"),
    Column("Reach", 8, "pct+center"),
    Column("Readiness", 10, "dec1+center"),
    Column("Attitude", 11),
    Column("Why listed", 52, "wrap"),
    Column("Power (rated)", 9, "int+center"),
)


REASON_COLUMN = 10  # "Why listed", 0-based
REASON_MAX_WIDTH = 80.0  # wider, and the page would print too small to read


def _one_line_reasons(columns: tuple[Column, ...], data: WorkbookData) -> tuple[Column, ...]:
    """ "Why listed" as wide as its longest reason (up to a limit), so that the table's rows
    stay one line high: two-line rows for a few long reasons doubled the pages on paper."""
    reason = columns[REASON_COLUMN]
    longest = max((len(r.reason) for r in data.influence), default=0)
    width = reason.width
    while wrapped_lines("x" * longest, width) > 1 and width < REASON_MAX_WIDTH:
        width += 1.0
    wider = Column(reason.header, width, reason.style)
    return (*columns[:REASON_COLUMN], wider, *columns[REASON_COLUMN + 1 :])


def write_influence(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    table = [
        (
            r.list_name,
            r.rank,
            r.name,
            r.role,
            r.department,
            r.influence,
            r.betweenness,
            r.reach,
            r.readiness,
            r.attitude,
            r.reason,
            r.power_rated,
        )
        for r in data.influence
    ]
    columns = _one_line_reasons(fit_columns(INFLUENCE_COLUMNS, table), data)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Network influence: key resisters, champions, top influencers, brokers, hot spots",
        "Network influence = PageRank on who influences whom (0–100); power (rated) = the 1–5 "
        "score typed in. Key resisters resist (or desire ≤ 2) and are key players or in the top "
        "10 % of network influence — the list the app shows everywhere; champions are ready "
        "supporters chosen for coverage of the not-ready; brokers bridge communities; hot "
        "spots are highly influential people who are not ready or resist.",
        columns,
    )
    # every row as tall as the longest reason: an even table reads as one list on paper
    reason_width = columns[REASON_COLUMN].width
    writer.even_lines = max((wrapped_lines(r.reason, reason_width) for r in data.influence),
                            default=0)  # fmt: skip
    for values in table:
        writer.append(table_row(columns, values))
    writer.even_lines = 0
    last = end_table(writer, columns, empty_text="No influence ties recorded yet.")
    if data.influence:
        first = HEADER_ROW + 1
        ws.conditional_formatting.add(data_range(9, first, last), readiness_scale())
        ws.conditional_formatting.add(data_range(1, first, last), _text_rule("Hot spot", "red"))
        ws.conditional_formatting.add(data_range(1, first, last), _text_rule("Key resister", "red"))
        ws.conditional_formatting.add(data_range(10, first, last), _text_rule("Resistant", "red"))
    tick(0)


HEATMAP_COLUMNS = (
    Column("Department", 24, "bold"),
    Column("People", 8, "int+center"),
    Column("Assessed", 9, "int+center"),
    *(Column(label, 14, "dec1+center") for label in ELEMENT_LABELS),
    Column("Readiness", 10, "dec1+center"),
    Column("Network-weighted", 11, "dec1+center"),
    Column("Ready", 8, "pct+center"),
    Column("Main barrier", 14),
)


def write_heatmap(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    table = [
        (
            d.department,
            d.people,
            d.assessed,
            *d.elements,
            d.readiness,
            d.influence_weighted,
            d.ready_share,
            d.main_barrier,
        )
        for d in data.departments
    ]
    columns = fit_columns(HEATMAP_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "ADKAR readiness heat map",
        "Mean score per department and ADKAR element (1–5), latest round per person; red = "
        "low, green = high. Ready = readiness ≥ 4 with no barrier point.",
        columns,
    )
    for values in table:
        writer.append(table_row(columns, values))
    last = end_table(writer, columns, empty_text="No readiness assessments yet.")
    if data.departments:
        ws.conditional_formatting.add(f"D{HEADER_ROW + 1}:J{last}", readiness_scale())
    tick(0)
