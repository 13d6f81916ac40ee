"""Two board-pack pictures drawn natively in the workbook (they stay live in Excel and print in
LibreOffice): the plan's Gantt-style timeline and the risk matrix.

The timeline is the standard stacked-bar Gantt: an invisible first series places each bar at
its start date, the second series is the activity's length in days; overdue bars are red.
The matrix counts open risks per likelihood × impact cell, coloured by the score's zone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.worksheet.pagebreak import Break

from cmio_desktop.io.workbook.cells import SheetWriter, Styled
from cmio_desktop.io.workbook.data import ActivityRow, RiskRow

MAX_TIMELINE_ROWS = 30
MAX_DATE_LABELS = 9  # on a 24 cm axis "12 Oct" labels need ~2.5 cm each
EXCEL_EPOCH = date(1899, 12, 30)
ELEMENT_COLOURS = {
    "Awareness": "3B82F6",
    "Desire": "F59E0B",
    "Knowledge": "10B981",
    "Ability": "8B5CF6",
    "Reinforcement": "EC4899",
}
OTHER_COLOUR = "94A3B8"
OVERDUE_COLOUR = "DC2626"
DONE_COLOUR = "CBD5E1"


def serial(day: date) -> int:
    """The spreadsheet's day number for ``day`` (what a date axis counts in)."""
    return (day - EXCEL_EPOCH).days


def timeline_rows(activities: tuple[ActivityRow, ...] | list[ActivityRow]) -> list[ActivityRow]:
    """Dated activities by start, open ones first when there are more than fit."""
    dated = [a for a in activities if a.start or a.due]
    dated.sort(key=lambda a: (a.closed, a.start or a.due or date.max))
    chosen = dated[:MAX_TIMELINE_ROWS]
    return sorted(chosen, key=lambda a: (a.start or a.due or date.max, a.title.casefold()))


def write_timeline(
    w: SheetWriter, activities: list[ActivityRow], today: date, go_live: date | None
) -> None:
    """A new page: the timeline table (start, activity, days) and its Gantt chart beside it."""
    rows = timeline_rows(activities)
    if not rows:
        return
    w.ws.row_breaks.append(Break(id=w.row))
    w.blank()
    shown = (
        f" ({len(rows)} of {len(activities)}: open work first)"
        if len(rows) < len(activities)
        else ""
    )
    w.append([Styled(f"Timeline{shown}", "section")])
    header = w.append(
        [Styled("Start", "header"), Styled("Activity", "header"), Styled("Days", "header")]
    )
    for a in rows:
        start = a.start or a.due
        end = a.due or a.start
        assert start is not None and end is not None
        days = Styled(max(1, (end - start).days + 1), "int+center")
        w.append([start, Styled(a.title, "wrap"), days])
    last = w.row
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 40
    chart.title = "Plan timeline (red = overdue)"
    chart.legend = None
    cats = Reference(w.ws, min_col=2, min_row=header + 1, max_row=last)
    chart.add_data(Reference(w.ws, min_col=1, min_row=header, max_row=last), titles_from_data=True)
    chart.add_data(Reference(w.ws, min_col=3, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(cats)
    offset, length = chart.series
    offset.graphicalProperties = GraphicalProperties(noFill=True)
    offset.graphicalProperties.line.noFill = True
    for index, a in enumerate(rows):
        overdue = not a.closed and a.due is not None and a.due < today
        colour = (
            OVERDUE_COLOUR
            if overdue
            else DONE_COLOUR
            if a.closed
            else ELEMENT_COLOURS.get(a.element, OTHER_COLOUR)
        )
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        length.dPt.append(point)
    first = min(a.start or a.due for a in rows if a.start or a.due)  # type: ignore[type-var]
    ends = [a.due or a.start for a in rows] + ([go_live] if go_live else [])
    chart.x_axis.scaling.orientation = "maxMin"  # first activity at the top
    low, high = serial(first) - 3, serial(max(d for d in ends if d is not None)) + 7
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = low, high
    chart.y_axis.majorUnit = 7 * max(1, -(-(high - low) // (7 * MAX_DATE_LABELS)))
    chart.y_axis.number_format = "d mmm"
    chart.y_axis.crosses = "max"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width = 24.0
    chart.height = max(7.0, 1.8 + 0.55 * len(rows))
    w.ws.add_chart(chart, f"D{header}")
    # rows below the table so that the chart's height fits before anything else
    while (w.row - header) * 0.53 < chart.height:
        w.blank()


ZONES = ((15, "red"), (8, "amber"), (0, "green"))


def zone(score: int) -> str:
    """Risk zone of likelihood × impact: 15+ red, 8–14 amber, below green."""
    return next(rag for floor, rag in ZONES if score >= floor)


def risk_counts(risks: list[RiskRow] | tuple[RiskRow, ...]) -> dict[tuple[int, int], int]:
    """Open risks per (likelihood, impact)."""
    counts: dict[tuple[int, int], int] = {}
    for r in risks:
        if r.status.casefold() == "closed":
            continue
        key = (min(5, max(1, r.likelihood)), min(5, max(1, r.impact)))
        counts[key] = counts.get(key, 0) + 1
    return counts


def write_risk_matrix(w: SheetWriter, risks: list[RiskRow] | tuple[RiskRow, ...]) -> None:
    """Open risks per likelihood (rows, 5 at the top) × impact (columns), coloured by zone."""
    counts = risk_counts(risks)
    w.blank()
    w.append([Styled("Risk matrix: open risks by likelihood × impact", "section")])
    w.append(
        [Styled("Likelihood ↓ · impact →", "header")]
        + [Styled(i, "header+center") for i in range(1, 6)]
    )
    for likelihood in range(5, 0, -1):
        cells: list[Any] = [Styled(likelihood, "bold+center")]
        for impact in range(1, 6):
            count = counts.get((likelihood, impact), 0)
            cells.append(Styled(count or None, zone(likelihood * impact)))
        w.append(cells)
    w.append([Styled("Zones: score 15–25 red, 8–14 amber, 1–7 green; score = likelihood × impact.",
                     "subtitle")])  # fmt: skip
