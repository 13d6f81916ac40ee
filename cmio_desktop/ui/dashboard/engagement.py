"""The dashboard's engagement cards — "Follow-ups due this week" and "Key resisters not
contacted in 4 weeks" — and the list each one drills down to.

A card's number is the length of the list its dialog shows (``services.engagement.dashboard``
loads both in one job), so the count and the names always agree. From the dialog, "Show in
the register" narrows the stakeholder register to exactly those people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table
from cmio_desktop.ui.common.tasks import TaskContext
from cmio_desktop.ui.network_metrics import metrics_runner_for

if TYPE_CHECKING:  # the service (SQLAlchemy) is imported by the job, off the UI thread
    from cmio_desktop.services.engagement.figures import EngagementFigures

FOLLOW_UPS, NOT_CONTACTED = "follow_ups", "resisters_not_contacted"
#: (key, caption, tooltip)
ENGAGEMENT_CARDS: tuple[tuple[str, str, str], ...] = (
    (FOLLOW_UPS, "Follow-ups due this week",
     "Planned next contacts and open commitments from the engagement log due in the next "
     "7 days, overdue ones included"),
    (NOT_CONTACTED, "Key resisters not contacted in 4 weeks",
     "Key resisters (the same list as the network rankings) with no logged contact in the "
     "last 4 weeks, never-contacted first"),
)  # fmt: skip
RED, GREEN, INK = "#b91c1c", "#047857", "#1f2a37"
SOURCE = {FOLLOW_UPS: "follow-ups due this week", NOT_CONTACTED: "key resisters not contacted"}


def engagement_job(ctx: TaskContext, ws: Any, initiative_id: int | None, today: date) -> Any:
    from cmio_desktop.services.engagement.dashboard import engagement_figures
    from cmio_desktop.services.workspace_info import revision

    ctx.check()
    at = revision(ws)  # first: a write while computing leaves the figures marked older
    return at, engagement_figures(ws, initiative_id, today, metrics_runner_for(ctx))


def _first(rows: list[Any]) -> str:
    """The first person of the list and how many more rows there are (one name: six cards
    to a row leave room for little more)."""
    more = len(rows) - 1
    return rows[0].name + (f" +{more:,} more" if more else "")


def follow_ups_card(f: EngagementFigures) -> tuple[str, str, str]:
    """(value, note, colour) of the follow-ups card."""
    count, overdue = len(f.follow_ups), len(f.overdue)
    if not count:
        return "0", f"nothing due in the next {f.days} days", GREEN
    if overdue:
        return str(count), f"{overdue:,} overdue · " + _first(f.follow_ups), RED
    return str(count), f"by {f.follow_ups[-1].due:%d %b} · " + _first(f.follow_ups), INK


def not_contacted_card(f: EngagementFigures) -> tuple[str, str, str]:
    people = f.resisters_not_contacted
    if not people:
        return "0", f"none: no key resister is {f.weeks} weeks without a contact", GREEN
    return str(len(people)), _first(people), RED


# -- the drill-down --------------------------------------------------------------------------------


def _due_text(today: date) -> Callable[[Any], str]:
    def text(f: Any) -> str:
        days = (f.due - today).days
        when = "today" if days == 0 else f"overdue {-days} d" if days < 0 else f"in {days} d"
        return f"{fmt_date(f.due)} ({when})"

    return text


def follow_up_columns(today: date) -> list[Column]:
    return [
        Column("Person", lambda f: f.name, width=200, name="person"),
        Column("Due", _due_text(today), key=lambda f: (f.due, f.name, f.what), width=190,
               name="due", colour=lambda f: RED if f.due < today else None),
        Column("What is due", lambda f: f.what, name="what", tooltip=lambda f: f.what),
    ]  # fmt: skip


def _never_first(p: Any) -> tuple[bool, date, str]:
    """The service's order: never contacted, then the longest ago."""
    return (p.last is not None, p.last or date.min, p.name)


def not_contacted_columns(today: date) -> list[Column]:
    def weeks(p: Any) -> str:
        return "never contacted" if p.last is None else f"{(today - p.last).days // 7} weeks ago"

    return [
        Column("Person", lambda p: p.name, width=220, name="person"),
        Column("Last contact", lambda p: fmt_date(p.last) or "never", width=150, name="last",
               key=_never_first),
        Column("Since", weeks, name="since", key=_never_first),
    ]  # fmt: skip


class PeopleListDialog(QDialog):
    """The people behind a card: a table and "Show in the register"."""

    def __init__(
        self, title: str, intro: str, columns: list[Column], rows: list[Any],
        show_in_register: Callable[[list[int]], None], parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 420)
        # A person can owe several follow-ups: a row is a person and what is due when.
        self.model = TableModel(
            columns, id_of=lambda r: (r.person_id, getattr(r, "due", None), getattr(r, "what", ""))
        )
        self.model.set_rows(rows)
        self.table = make_table(self.model, multi=False, stretch=len(columns) - 1)
        # In the service's order: soonest due first; never contacted, then the longest ago.
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.person_ids = list(dict.fromkeys(r.person_id for r in rows))
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.show_button = buttons.addButton(
            "Show in the register", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_button.setEnabled(bool(self.person_ids))
        self.show_button.setToolTip("Open the stakeholder register showing only these people")
        self.show_button.clicked.connect(lambda: (show_in_register(self.person_ids), self.accept()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def drill_down(
    key: str, f: EngagementFigures, show_in_register: Callable[[list[int]], None],
    parent: QWidget | None = None,
) -> PeopleListDialog:  # fmt: skip
    if key == FOLLOW_UPS:
        overdue, horizon = len(f.overdue), f.today + timedelta(days=f.days)
        intro = (
            f"{len(f.follow_ups):,} follow-ups are due by {horizon:%a %d %b}"
            + (f", {overdue:,} of them overdue (in red)." if overdue else ".")
            + " Planned next contacts and open commitments from the engagement log."
        )
        return PeopleListDialog("Follow-ups due this week", intro,
                                follow_up_columns(f.today), f.follow_ups, show_in_register,
                                parent)  # fmt: skip
    people = f.resisters_not_contacted
    intro = (
        f"{len(people):,} key resisters have no logged contact since "
        f"{fmt_date(f.today - timedelta(weeks=f.weeks))}: never contacted first, "
        "then the longest ago."
    )
    return PeopleListDialog("Key resisters not contacted in 4 weeks", intro,
                            not_contacted_columns(f.today), people, show_in_register,
                            parent)  # fmt: skip
