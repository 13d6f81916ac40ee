"""Plan sheets: engagement plan, communications, training, risks, go/no-go."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import PatternFill

from cmio_desktop.io.workbook.board_charts import write_risk_matrix, write_timeline
from cmio_desktop.io.workbook.cells import RAG_FILLS, BookContext, Styled, rule_font
from cmio_desktop.io.workbook.data import ActivityRow, WorkbookData, day_text
from cmio_desktop.io.workbook.layout import (
    HEADER_ROW,
    Column,
    begin_table,
    data_range,
    end_table,
    fit_columns,
    table_row,
)
from cmio_desktop.io.workbook.sheets_people import Tick

STATUS_RAG = {"Done": "green", "In progress": "amber", "Cancelled": "unknown"}

PLAN_COLUMNS = (
    Column("Due", 14, "date"),
    Column("Activity", 34, "wrap"),
    Column("Type", 17, "wrap"),
    Column("ADKAR element", 13, "top"),
    Column("Audience", 28, "wrap"),
    Column("Owner", 18, "wrap"),
    Column("Start", 14, "date"),
    Column("Status", 11, "center"),
    Column("Overdue", 16, "top"),
    Column("Outcome", 24, "wrap"),
)


def _due_key(row: ActivityRow) -> tuple[bool, date, str]:
    return (row.due is None, row.due or date.max, row.title.casefold())


def overdue_days(row: ActivityRow, today: date) -> int:
    """Days past due for an open activity (0 when not overdue)."""
    if row.closed or row.due is None or row.due >= today:
        return 0
    return (today - row.due).days


def _plan_values(r: ActivityRow, today: date) -> tuple[Any, ...]:
    days = overdue_days(r, today)
    flag = Styled(f"Overdue {days:,} day{'s' if days != 1 else ''}", "flag") if days else None
    return (r.due, r.title, r.kind, r.element, r.audience, r.owner, r.start, r.status, flag,
            r.outcome)  # fmt: skip


def write_plan(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    today = data.meta.prepared_on
    rows = sorted(data.activities, key=_due_key)
    late = sum(1 for r in rows if overdue_days(r, today))
    table = [_plan_values(r, today) for r in rows]
    columns = fit_columns(PLAN_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Engagement plan",
        f"{len(rows):,} activities sorted by due date; {late:,} overdue on {day_text(today)}.",
        columns,
    )
    for values in table:
        writer.append(table_row(columns, values))
    last = end_table(writer, columns, empty_text="No engagement activities planned yet.")
    write_timeline(writer, rows, today, data.meta.go_live)
    if rows:
        statuses = data_range(8, HEADER_ROW + 1, last)
        for text, rag in STATUS_RAG.items():
            fill, ink = RAG_FILLS[rag]
            rule = CellIsRule(
                operator="equal",
                formula=[f'"{text}"'],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=rule_font(color=ink),
            )
            ws.conditional_formatting.add(statuses, rule)
    tick(0)


COMMS_COLUMNS = (
    Column("Audience", 24, "wrap"),
    Column("Message", 48, "wrap"),
    Column("Channel", 20),
    Column("Sender", 18),
    Column("Cadence", 12),
    Column("Start", 14, "date"),
    Column("End", 14, "date"),
)


def write_communications(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    rows = sorted(data.communications, key=lambda c: (c.start or date.max, c.audience))
    table = [(c.audience, c.message, c.channel, c.sender, c.cadence, c.start, c.end) for c in rows]
    columns = fit_columns(COMMS_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Communications plan",
        f"{len(rows):,} communication items, by start date.",
        columns,
    )
    for values in table:
        writer.append(table_row(columns, values))
    end_table(writer, columns, empty_text="No communications planned yet.")
    tick(0)


TRAINING_COLUMNS = (
    Column("Role", 16, "bold"),
    Column("Unit", 24),
    Column("Course", 32),
    Column("Required", 10, "int+center"),
    Column("Completed", 11, "int+center"),
    Column("Completion", 11, "pct+center"),
    Column("Still to train", 12, "int+center"),
    Column("Required by", 15, "date"),
)


def write_training(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    rows = data.training
    required = sum(r.required for r in rows if not r.department)
    done = sum(r.completed for r in rows if not r.department)
    overall = f"{done / required:.0%} of required training completed" if required else ""
    table = [
        (r.role, r.department or "All units", r.course, r.required, r.completed, r.completion,
         r.required - r.completed, r.required_by)
        for r in rows
    ]  # fmt: skip
    columns = fit_columns(TRAINING_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Training completion by role and unit",
        f"{overall}. Rows marked “All units” total each role's course; go-live rule: no "
        "access without completed training.".lstrip(". "),
        columns,
    )
    for r, values in zip(rows, table, strict=True):
        cells = table_row(columns, values)
        if not r.department:  # the role's total
            cells = [c if c is None else Styled(c.value, c.style + "+total") for c in cells]
        writer.append(cells)
    last = end_table(writer, columns, empty_text="No training courses recorded yet.")
    if rows:
        ws.conditional_formatting.add(
            data_range(6, HEADER_ROW + 1, last),
            ColorScaleRule(
                start_type="num",
                start_value=0.5,
                start_color="F8696B",
                mid_type="num",
                mid_value=0.75,
                mid_color="FFEB84",
                end_type="num",
                end_value=0.95,
                end_color="63BE7B",
            ),
        )
    tick(0)


RISK_COLUMNS = (
    Column("Risk", 40, "wrap"),
    Column("Likelihood", 10, "center"),
    Column("Impact", 8, "center"),
    Column("Score", 8, "center"),
    Column("Criticality", 11),
    Column("Status", 11),
    Column("Owner", 20, "wrap"),
    Column("Mitigation", 40, "wrap"),
    Column("People", 28, "wrap"),
)


def write_risks(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    rows = sorted(data.risks, key=lambda r: (-r.score, r.description.casefold()))
    open_count = sum(1 for r in rows if r.status.casefold() != "closed")
    table = [
        (r.description, r.likelihood, r.impact, r.score, r.criticality, r.status, r.owner,
         r.mitigation, "; ".join(p.name for p in r.people))
        for r in rows
    ]  # fmt: skip
    columns = fit_columns(RISK_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        "Risks",
        f"{len(rows):,} risks ({open_count:,} open), highest score first; "
        "score = likelihood × impact (1–25).",
        columns,
    )
    for values in table:
        writer.append(table_row(columns, values))
    last = end_table(writer, columns, empty_text="No risks recorded yet.")
    if rows:
        write_risk_matrix(writer, rows)
    if rows:
        first = HEADER_ROW + 1
        ws.conditional_formatting.add(
            data_range(4, first, last),
            ColorScaleRule(
                start_type="num",
                start_value=1,
                start_color="63BE7B",
                mid_type="num",
                mid_value=9,
                mid_color="FFEB84",
                end_type="num",
                end_value=20,
                end_color="F8696B",
            ),
        )
        fill, ink = RAG_FILLS["red"]
        ws.conditional_formatting.add(
            data_range(5, first, last),
            CellIsRule(
                operator="equal", formula=['"Critical"'], font=rule_font(bold=True, color=ink)
            ),
        )
    tick(0)


GONOGO_COLUMNS = (
    Column("Criterion", 38, "wrap"),
    Column("Criticality", 11),
    Column("Scope", 14),
    Column("Threshold", 12, "center"),
    Column("Actual", 12, "center"),
    Column("Status", 10),
    Column("Evidence", 62, "wrap"),
)
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "unknown": "Not assessed"}


def write_go_no_go(ctx: BookContext, ws: Any, data: WorkbookData, tick: Tick) -> None:
    g = data.go_no_go
    counts = {rag: sum(1 for c in g.criteria if c.status == rag) for rag in RAG_LABELS}
    tally = ", ".join(
        f"{counts[rag]} {RAG_LABELS[rag].lower()}" for rag in RAG_LABELS if counts[rag]
    )
    table = [
        (c.name, c.criticality, c.scope, c.threshold, c.actual,
         Styled(RAG_LABELS.get(c.status, c.status), c.status), c.evidence)
        for c in g.criteria
    ]  # fmt: skip
    columns = fit_columns(GONOGO_COLUMNS, table)
    writer = begin_table(
        ctx,
        ws,
        data.meta,
        f"Go / no-go: {g.label}",
        (f"{len(g.criteria)} criteria: {tally}. " if g.criteria else "")
        + "No-go if any critical criterion is red; conditional if any critical one is amber "
        "or any major one is red; go otherwise.",
        columns,
    )
    for values in table:
        writer.append(table_row(columns, values))
    end_table(writer, columns, empty_text="No go/no-go criteria defined yet.")
    tick(0)
