"""The activities table: columns, colours and the filters (status, owner, element, due window)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cmio_desktop.enums import ActivityStatus, AdkarElement
from cmio_desktop.services.plan.activities import ActivityRow
from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.table_model import Column, TableModel

OVERDUE_RED = "#b91c1c"
OVERDUE_BACKGROUND = "#fdf0f0"
STATUS_COLOURS = {
    "planned": "#475569",
    "in_progress": "#1d4ed8",
    "done": "#047857",
    "cancelled": "#64748b",  # AA on white and the alternate rows (was #94a3b8, 2.6:1)
}


def _due_tip(r: ActivityRow) -> str:
    return "Overdue: due before today and not done or cancelled" if r.overdue else ""


COLUMNS = (
    Column("Title", lambda r: r.title, tooltip=lambda r: r.outcome or r.title, width=300),
    Column("Type", lambda r: r.type_label, width=118),
    Column("Element", lambda r: r.element_label, key=lambda r: _element_rank(r), width=104),
    Column("Audience", lambda r: r.audience_text, tooltip=lambda r: r.audience_text, width=160),
    Column("People", lambda r: f"{r.audience_size:,}", key=lambda r: r.audience_size,
           align="right", width=66, header_tip="People the audience reaches"),
    Column("Owner", lambda r: r.owner, width=130),
    Column("Start", lambda r: fmt_date(r.start), key=lambda r: r.start, width=92),
    Column("Due", lambda r: fmt_date(r.due) + (" ⚠" if r.overdue else ""), key=lambda r: r.due,
           colour=lambda r: OVERDUE_RED if r.overdue else None, bold=lambda r: r.overdue,
           tooltip=_due_tip, width=104),
    Column("Status", lambda r: r.status_label, key=lambda r: _status_rank(r),
           colour=lambda r: STATUS_COLOURS.get(r.status), width=92),
)  # fmt: skip


def _element_rank(r: ActivityRow) -> int | None:
    return list(AdkarElement).index(AdkarElement(r.element)) if r.element else None


def _status_rank(r: ActivityRow) -> int:
    return list(ActivityStatus).index(ActivityStatus(r.status))


def activity_model(parent: Any = None) -> TableModel:
    model = TableModel(COLUMNS, parent=parent)
    model.row_background = lambda r: OVERDUE_BACKGROUND if r.overdue else None
    return model


STATUS_FILTERS = (
    ("All statuses", None),
    ("Open (planned or in progress)", "open"),
    ("Overdue", "overdue"),
    *((s.label, s.value) for s in ActivityStatus),
)
ELEMENT_FILTERS = (
    ("All elements", None),
    *((e.label, e.value) for e in AdkarElement),
    ("No element", ""),
)
DUE_WINDOWS = (
    ("Any due date", None),
    ("Overdue", "overdue"),
    ("Due in the next 7 days", 7),
    ("Due in the next 14 days", 14),
    ("Due in the next 30 days", 30),
    ("Due before go-live", "before_go_live"),
    ("Due after go-live", "after_go_live"),
)


@dataclass(frozen=True)
class ActivityFilters:
    status: str | None = None
    owner: str | None = None
    element: str | None = None  # "" = no element
    due_window: Any = None

    def predicate(self, today: date, go_live: date | None) -> Any:
        def keep(r: ActivityRow) -> bool:
            if self.status == "open" and not r.is_open:
                return False
            if self.status == "overdue" and not r.overdue:
                return False
            if self.status not in (None, "open", "overdue") and r.status != self.status:
                return False
            if self.owner is not None and r.owner != self.owner:
                return False
            if self.element is not None and (r.element or "") != self.element:
                return False
            return _in_window(r, self.due_window, today, go_live)

        return keep


def _in_window(r: ActivityRow, window: Any, today: date, go_live: date | None) -> bool:
    if window is None:
        return True
    if window == "overdue":
        return r.overdue
    if r.due is None:
        return False
    if isinstance(window, int):
        return r.is_open and today <= r.due <= today + timedelta(days=window)
    if go_live is None:
        return True
    if window == "before_go_live":
        return r.due <= go_live
    return r.due > go_live
