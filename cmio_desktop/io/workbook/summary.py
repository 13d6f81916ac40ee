"""The Summary sheet: who, what, when, go/no-go, headline figures and three native charts.

The charts (readiness by department, attitude mix, readiness trend by round) are openpyxl
charts over small tables on the same sheet, so the numbers behind each chart are printed next
to it and stay live in Excel. Page 1 is the briefing; the chart data prints on page 2.
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import BarChart, DoughnutChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import OneCellAnchor
from openpyxl.utils.units import cm_to_EMU
from openpyxl.worksheet.pagebreak import Break

from cmio_desktop.analysis.adkar import ReadinessSettings, readiness_band
from cmio_desktop.io.workbook.cells import BookContext, SheetWriter, Styled, data_labels
from cmio_desktop.io.workbook.data import WorkbookData, day_text
from cmio_desktop.io.workbook.layout import print_setup, set_widths
from cmio_desktop.io.workbook.sheets_people import Tick
from cmio_desktop.io.workbook.summary_forecast import write_forecast

WIDTHS = (34, 22, 44, 2)
MAX_DEPARTMENTS = 15
CHART_COLUMN_INDEX = 4  # column E, 0-based
GAP_CM = 0.4
DEFAULT_ROW_PT = 15.0
CHART_WIDTH_CM = 17.0
ROW_CM = 0.53  # a default (15 pt) row
TREND_CM = ATTITUDES_CM = 6.5

DECISION_RAG = {"go": "green", "conditional": "amber", "no_go": "red", "unknown": "unknown"}
ATTITUDE_COLOURS = {
    "Unaware": "A6ACAF",
    "Resistant": "C0392B",
    "Neutral": "F4D03F",
    "Supportive": "82E0AA",
    "Leading": "1E8449",
}
NAVY = "1F3A5F"


BAND_COLOURS = {"ready": "229954", "at_risk": "E67E22", "not_ready": "C0392B"}


def readiness_colour(value: float | None, data: WorkbookData | None = None) -> str:
    """The bar colour for a mean readiness: the app's one rule (``adkar.readiness_band``) with
    the workspace's thresholds."""
    settings = ReadinessSettings(
        ready_threshold=data.ready_threshold if data else 4.0,
        barrier_max=data.barrier_max if data else 3,
    )
    return BAND_COLOURS[readiness_band(value, settings)]


def write_summary(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    meta = data.meta
    set_widths(ws, WIDTHS)
    print_setup(ws, meta, header_row=None, fit_height=0)
    w = SheetWriter(ctx, ws, WIDTHS)
    w.set_height(26)
    w.append([Styled("Go-live readiness briefing", "title")])
    w.append([Styled(f"{meta.organisation} — {meta.initiative}", "section")])
    w.append([Styled(_when(data), "subtitle")])
    w.blank()
    g = data.go_no_go
    rag = DECISION_RAG.get(g.decision, "unknown")
    w.append(
        [
            Styled("Go / no-go status", "label"),
            Styled(g.label, f"decision-{rag}"),
            Styled(g.summary or _criteria_count(data), "note"),
        ]
    )
    w.blank()
    w.append([Styled("Key figures", "section")])
    for kpi in data.kpis:
        style = "value" if kpi.status is None else f"value+{kpi.status}"
        number_format = None if kpi.number_format == "General" else kpi.number_format
        w.append(
            [
                Styled(kpi.label, "label"),
                Styled(kpi.value, style, number_format) if kpi.value is not None else "–",
                Styled(kpi.comment, "note") if kpi.comment else None,
            ]
        )
    if data.forecast is not None:
        write_forecast(w, data.forecast)
    # page 1 is the briefing: figures on the left; the department chart, and the trend beside
    # the attitude mix, on the right. The numbers behind the charts follow on page 2, so page 1
    # prints large enough to read.
    heights = _chart_heights(data)
    charts_cm = (heights[0] if heights else 0.0) + GAP_CM + max(heights[1:], default=0.0)
    while _row_top_cm(ws, w.row + 1) < charts_cm + GAP_CM:
        w.blank()
    w.ws.row_breaks.append(Break(id=w.row))
    charts: list[Any] = []
    if any(d.readiness is not None for d in data.departments):
        charts.append(_departments(w, data))
    if data.trend:
        charts.append(_trend(w, data))
    if data.attitudes:
        charts.append(_attitudes(w, data))
    if charts:
        first, *rest = charts
        _place(ws, first[0], 0.0, 0.0)
        x = 0.0
        for chart, _height in rest:
            _place(ws, chart, first[1] + GAP_CM, x)
            x += chart.width + GAP_CM
    tick(0)


def _row_top_cm(ws: Any, row: int) -> float:
    """Distance from the sheet's top to the top of ``row`` (1-based), from the row heights."""
    points = 0.0
    for index in range(1, row):
        height = ws.row_dimensions[index].height if index in ws.row_dimensions else None
        points += height or DEFAULT_ROW_PT
    return points * 2.54 / 72


def _place(ws: Any, chart: Any, top_cm: float, left_cm: float) -> None:
    """Anchor ``chart`` ``top_cm`` below the sheet's top and ``left_cm`` right of the chart
    column (row-accurate even when rows above are taller than the default)."""
    row = 1
    while _row_top_cm(ws, row + 1) <= top_cm:
        row += 1
    anchor = OneCellAnchor()
    anchor._from.col = CHART_COLUMN_INDEX
    anchor._from.colOff = cm_to_EMU(left_cm)
    anchor._from.row = row - 1
    anchor._from.rowOff = cm_to_EMU(top_cm - _row_top_cm(ws, row))
    anchor.ext.width = cm_to_EMU(chart.width)
    anchor.ext.height = cm_to_EMU(chart.height)
    chart.anchor = anchor
    ws.add_chart(chart)


def _chart_heights(data: WorkbookData) -> list[float]:
    """Heights (cm) of the charts page 1 will carry, in order."""
    heights = []
    assessed = sum(1 for d in data.departments if d.readiness is not None)
    if assessed:
        heights.append(_departments_height(min(assessed, MAX_DEPARTMENTS)))
    if data.trend:
        heights.append(TREND_CM)
    if data.attitudes:
        heights.append(ATTITUDES_CM)
    return heights


def _departments_height(rows: int) -> float:
    return min(9.5, max(6.5, 1.6 + 0.55 * rows))


def _when(data: WorkbookData) -> str:
    meta = data.meta
    text = f"Prepared {day_text(meta.prepared_on)}"
    days = meta.days_to_go_live
    if meta.go_live is None or days is None:
        return text + " · no go-live date set"
    if days > 0:
        countdown = f"{days:,} day{'s' if days != 1 else ''} to go-live"
    elif days == 0:
        countdown = "go-live is today"
    else:
        countdown = f"went live {-days:,} day{'s' if days != -1 else ''} ago"
    return f"{text} · Go-live {day_text(meta.go_live)} · {countdown}"


def _criteria_count(data: WorkbookData) -> str:
    criteria = data.go_no_go.criteria
    if not criteria:
        return "No criteria defined."
    counts = {rag: sum(1 for c in criteria if c.status == rag) for rag in ("red", "amber")}
    return f"{len(criteria)} criteria: {counts['red']} red, {counts['amber']} amber."


def _table_header(w: SheetWriter, title: str, headers: tuple[str, ...]) -> int:
    w.blank()
    w.append([Styled(title, "section")])
    return w.append([Styled(h, "header") for h in headers])


def _departments(w: SheetWriter, data: WorkbookData) -> tuple[Any, float]:
    rows = sorted(
        (d for d in data.departments if d.readiness is not None),
        key=lambda d: (d.readiness or 0.0, d.department.casefold()),
    )
    title = "Readiness by department (lowest first)"
    if len(rows) > MAX_DEPARTMENTS:  # one page: the rest are on the heat-map sheet
        title = f"Readiness: the {MAX_DEPARTMENTS} least ready of {len(rows)} departments"
        rows = rows[:MAX_DEPARTMENTS]
    header = _table_header(w, title, ("Department", "Mean readiness", "Assessed"))
    for d in rows:
        w.append(
            [
                Styled(d.department, "top"),
                Styled(d.readiness, "dec1+center") if d.readiness is not None else None,
                Styled(f"{d.assessed:,} of {d.people:,}", "note"),
            ]
        )
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = "Mean readiness by department (1–5)"
    chart.legend = None
    chart.varyColors = False
    chart.add_data(Reference(w.ws, min_col=2, min_row=header, max_row=w.row), titles_from_data=True)
    chart.set_categories(Reference(w.ws, min_col=1, min_row=header + 1, max_row=w.row))
    chart.x_axis.scaling.orientation = "maxMin"  # lowest readiness at the top
    chart.y_axis.crosses = "max"
    chart.y_axis.scaling.min = 1
    chart.y_axis.scaling.max = 5
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.gapWidth = 40
    series = chart.series[0]
    for index, d in enumerate(rows):
        point = DataPoint(idx=index)
        colour = readiness_colour(d.readiness, data)
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        series.dPt.append(point)
    series.dLbls = data_labels("0.0")
    height = _departments_height(len(rows))
    chart.width, chart.height = CHART_WIDTH_CM, height
    return chart, height


def _trend(w: SheetWriter, data: WorkbookData) -> tuple[Any, float]:
    header = _table_header(
        w,
        "Readiness trend by round",
        ("Round", "Mean readiness", "Assessed"),
    )
    for point in data.trend:
        label = point.label if point.on is None else f"{point.label} ({point.on.day} {point.on:%b})"
        w.append(
            [
                Styled(label, "top"),
                Styled(point.readiness, "dec1+center") if point.readiness is not None else None,
                Styled(f"{point.assessed:,}", "note"),
            ]
        )
    ws = w.ws
    chart = LineChart()
    chart.style = 12
    chart.title = "Readiness trend by round"
    cats = Reference(ws, min_col=1, min_row=header + 1, max_row=w.row)
    chart.add_data(Reference(ws, min_col=2, min_row=header, max_row=w.row), titles_from_data=True)
    chart.set_categories(cats)
    chart.y_axis.scaling.min = 1
    chart.y_axis.scaling.max = 5
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    series = chart.series[0]
    series.graphicalProperties = GraphicalProperties(ln=LineProperties(solidFill=NAVY, w=34925))
    series.marker.symbol = "circle"
    series.marker.size = 8
    series.marker.graphicalProperties = GraphicalProperties(solidFill=NAVY)
    series.smooth = False
    series.dLbls = data_labels("0.0")
    series.dLbls.position = "t"
    chart.width, chart.height = CHART_WIDTH_CM * 0.58, TREND_CM
    return chart, TREND_CM


def _attitudes(w: SheetWriter, data: WorkbookData) -> tuple[Any, float]:
    total = sum(a.people for a in data.attitudes)
    header = _table_header(w, "Attitude mix (SEAM)", ("Attitude", "People", "Share"))
    for a in data.attitudes:
        share = a.people / total if total else None
        w.append(
            [
                Styled(a.attitude, "top"),
                Styled(a.people, "int+center"),
                Styled(share, "pct+center") if share is not None else None,
            ]
        )
    chart = DoughnutChart()
    chart.title = "Attitude mix"
    chart.holeSize = 50
    chart.add_data(Reference(w.ws, min_col=2, min_row=header, max_row=w.row), titles_from_data=True)
    chart.set_categories(Reference(w.ws, min_col=1, min_row=header + 1, max_row=w.row))
    series = chart.series[0]
    for index, a in enumerate(data.attitudes):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = ATTITUDE_COLOURS.get(a.attitude, "5D6D7E")
        series.dPt.append(point)
    labels = data_labels("0%")
    labels.showVal = False
    labels.showPercent = True
    series.dLbls = labels
    chart.legend.position = "r"
    chart.width, chart.height = CHART_WIDTH_CM * 0.42 - GAP_CM, ATTITUDES_CM
    return chart, ATTITUDES_CM
