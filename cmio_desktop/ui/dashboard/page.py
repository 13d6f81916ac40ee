"""Dashboard: the current initiative at a glance — twelve KPI cards, each clicking through to
the tab and filter that explain its number (the two engagement cards to the list of people
behind it, ``dashboard.engagement``), and three small charts. Figures load off the UI thread
(``services.dashboard``): the plain ones first, the network ones (network-weighted readiness,
hot spots, key resisters) and the engagement ones after, so the page the app opens on is up at
once and fills in as the numbers arrive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.ui.common.tasks import Task, TaskContext, TaskRunner
from cmio_desktop.ui.dashboard.charts import (
    DueByWeekChart,
    ReadinessByDepartmentChart,
    TrainingByRoleChart,
)
from cmio_desktop.ui.dashboard.engagement import (
    ENGAGEMENT_CARDS,
    FOLLOW_UPS,
    NOT_CONTACTED,
    SOURCE,
    PeopleListDialog,
    drill_down,
    engagement_job,
    follow_ups_card,
    not_contacted_card,
)
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.navigation import SECTIONS, Route
from cmio_desktop.ui.network_metrics import metrics_runner_for
from cmio_desktop.ui.page_heading import PageHeading

if TYPE_CHECKING:  # the service (SQLAlchemy, numpy) is imported by the jobs, off the UI thread
    from cmio_desktop.services.dashboard_figures import DashboardSummary, NetworkKpis
    from cmio_desktop.services.dashboard_snapshot import Snapshot
    from cmio_desktop.services.engagement.figures import EngagementFigures

RED, AMBER, GREEN, TEAL, INK = "#b91c1c", "#b45309", "#047857", "#0f766e", "#1f2a37"
SETTLE_MS = 120

#: (key, caption, where a click lands: the tab and filter that explain the number)
CARDS: tuple[tuple[str, str, Route], ...] = (
    ("people", "People", Route("stakeholders", filter="everyone")),
    ("ready", "Ready for go-live", Route("stakeholders", filter="ready")),
    ("weighted", "Network-weighted readiness", Route("network", tab="readiness")),
    ("hot_spots", "Hot spots", Route("network", tab="hot_spots")),
    ("key_resisters", "Key resisters", Route("network", tab="key_resisters")),
    ("due", "Activities due in 14 days", Route("plan", tab="activities", filter="due")),
    ("overdue", "Overdue activities", Route("plan", tab="activities", filter="overdue")),
    ("training", "Training completion", Route("plan", tab="training")),
    ("risks", "Open critical risks", Route("risks", tab="risks", filter="critical")),
    ("golive", "Go/no-go", Route("golive")),
)
#: Where each card sits, row by row: the engagement cards beside their kin.
ORDER = (
    "people", "ready", "weighted", "hot_spots", "key_resisters", NOT_CONTACTED,
    "due", "overdue", FOLLOW_UPS, "training", "risks", "golive",
)  # fmt: skip
COLUMNS = 6
TIPS = {
    "weighted": "Mean readiness weighted by network influence (PageRank, 0–100)",
    "hot_spots": "Top-quartile network influence and not ready, blocked early, or resistant",
    "key_resisters": "Resistant, unaware or desire ≤ 2, and a key player or in the top 10 % "
    "of network influence — the same list as the network rankings, the register filter and "
    "the go-live criterion",
}
_TITLES = {s.key: s.title for s in SECTIONS}


def _where(route: Route) -> str:
    where = _TITLES.get(route.page, route.page)
    if route.tab:
        where += f" › {route.tab.replace('_', ' ')}"
    if route.filter and route.filter != "everyone":
        where += f" ({route.filter.replace('_', ' ')})"
    return where


class KpiCard(QFrame):
    """A clickable figure with a caption and a one-line note."""

    clicked = Signal()

    def __init__(
        self, caption: str, route: Route | None, tip: str = "", parent: QWidget | None = None
    ) -> None:
        """``route`` None: the card opens the list behind its number (a dialog)."""
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.route = route
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        where = f"open {_where(route)}" if route is not None else "list them"
        self.setToolTip(f"{tip}\nClick to {where}" if tip else where.capitalize())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 7, 12, 7)  # six to a row fit a 1024×700 window
        layout.setSpacing(1)
        self.caption = QLabel(caption)
        self.caption.setObjectName("muted")
        self.caption.setWordWrap(True)  # six to a row: a long caption takes two lines
        self.value = QLabel("…")
        self.value.setObjectName("kpiValue")
        self.note = QLabel("")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)
        layout.addStretch(1)

    def show_value(self, value: str, note: str = "", colour: str = TEAL) -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {colour};")
        self.note.setText(note)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


def at_revision(ws: Any, compute: Callable[[], Any]) -> tuple[int, Any]:
    """``(revision, figures)``: the revision is read first, so a write while computing leaves
    figures marked older than they are (a snapshot of them misses), never newer."""
    from cmio_desktop.services.workspace_info import revision

    return revision(ws), compute()


def summary_job(ctx: TaskContext, ws: Any, initiative_id: int | None, today: date) -> Any:
    from cmio_desktop.services import dashboard

    ctx.check()
    return at_revision(ws, lambda: dashboard.summary(ws, initiative_id, today,
                                                     metrics_runner_for(ctx)))  # fmt: skip


def network_job(ctx: TaskContext, ws: Any, initiative_id: int | None) -> Any:
    from cmio_desktop.services import dashboard

    return at_revision(ws, lambda: dashboard.network_kpis(ws, initiative_id, ctx.progress,
                                                          metrics_runner_for(ctx)))  # fmt: skip


class DashboardPage(QWidget):
    #: Every card counts something: any change makes the summary stale.
    DEPENDS_ON = frozenset(ChangeKind) - {ChangeKind.EVERYTHING}
    #: The network cards (key resisters, champions…) are recomputed only after these.
    NETWORK_DEPENDS_ON = frozenset(
        {ChangeKind.STAKEHOLDER, ChangeKind.RELATIONSHIP, ChangeKind.ASSESSMENT,
         ChangeKind.WORKSPACE_SETTING, ChangeKind.INITIATIVE}
    )  # fmt: skip

    navigate = Signal(object)  # the Route a card asks to open
    summary_loaded = Signal()
    network_loaded = Signal()
    engagement_loaded = Signal()
    #: The engagement cards are reloaded after these (a log entry, or a change of key resisters).
    ENGAGEMENT_DEPENDS_ON = NETWORK_DEPENDS_ON | {ChangeKind.ENGAGEMENT}

    def __init__(
        self, facade: WorkspaceFacade, clock: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._facade, self.clock = facade, clock
        self.runner = TaskRunner(parent=self)
        self.summary: DashboardSummary | None = None
        self.network: NetworkKpis | None = None
        self.engagement: EngagementFigures | None = None
        self.list_dialog: PeopleListDialog | None = None
        self._tasks: dict[str, Task] = {}
        self._stale = {"summary", "network", "engagement"}
        #: part → (workspace, initiative, day, revision) its figures were computed for
        self._made_for: dict[str, tuple[str, int | None, date | None, int]] = {}
        self._current: set[str] = set()  # parts no change has touched since they were computed
        self.from_snapshot: Snapshot | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        self._build()
        facade.opened.connect(self._on_opened)
        facade.initiative_changed.connect(lambda _i: self._invalidate(network=True, now=True))
        facade.changed.connect(self._on_facade_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.runner.cancel_all)

    def _build(self) -> None:
        heading = PageHeading("Dashboard")
        self.title, self.subtitle = heading.title, heading.caption
        grid = QGridLayout()
        grid.setSpacing(10)
        self.cards: dict[str, KpiCard] = {}
        for key, caption, route in CARDS:
            card = KpiCard(caption, route, TIPS.get(key, ""))
            card.clicked.connect(lambda r=route: self.navigate.emit(r))
            self.cards[key] = card
        for key, caption, tip in ENGAGEMENT_CARDS:
            card = KpiCard(caption, None, tip)
            card.clicked.connect(lambda k=key: self.show_list(k))
            self.cards[key] = card
        for index, key in enumerate(ORDER):
            grid.addWidget(self.cards[key], index // COLUMNS, index % COLUMNS)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        self.readiness_chart = ReadinessByDepartmentChart()
        self.due_chart = DueByWeekChart()
        self.training_chart = TrainingByRoleChart()
        charts = QHBoxLayout()
        charts.setSpacing(10)
        for chart in (self.readiness_chart, self.due_chart, self.training_chart):
            charts.addWidget(chart, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.addLayout(heading)
        layout.addLayout(grid)
        layout.addLayout(charts, 1)

    # -- loading ------------------------------------------------------------------------------
    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, change: ChangeSet) -> None:
        self._invalidate(
            network=change.touches(self.NETWORK_DEPENDS_ON),
            engagement=change.touches(self.ENGAGEMENT_DEPENDS_ON),
        )

    def _invalidate(self, network: bool, now: bool = False, engagement: bool = True) -> None:
        self._stale.add("summary")
        self._current.discard("summary")
        if network:
            self._stale.add("network")
            self._current.discard("network")
        if engagement:
            self._stale.add("engagement")
            self._current.discard("engagement")
        if self.isVisible():
            self.refresh() if now else self._timer.start()

    def _on_opened(self) -> None:
        if not self._snapshot_still_holds():
            self.from_snapshot = None
            self._invalidate(network=True, now=True)

    def _snapshot_still_holds(self) -> bool:
        """Right after a snapshot was shown, the workspace it was kept for opens: its figures
        stand if nothing was written since (the open itself may write: a migration)."""
        snap, ws = self.from_snapshot, self._facade.workspace
        if snap is None or ws is None or self._stale:
            return False
        from cmio_desktop.services.workspace_info import revision

        return (
            str(Path(ws.path).resolve()) == snap.workspace
            and self._facade.initiative_id == snap.initiative_id
            and self.clock() == snap.today
            and revision(ws) == snap.revision
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Start loading whatever is stale (results arrive through signals)."""
        if self._facade.workspace is None:
            return
        ws, iid, today = self._facade.ws, self._facade.initiative_id, self.clock()
        self.from_snapshot = None
        if "summary" in self._stale:
            self._stale.discard("summary")
            self._start("summary", (ws, iid, today), summary_job, ws, iid, today)
        if "network" in self._stale:
            self._stale.discard("network")
            self._start("network", (ws, iid, None), network_job, ws, iid)
        if "engagement" in self._stale:
            self._stale.discard("engagement")
            self._start("engagement", (ws, iid, today), engagement_job, ws, iid, today)

    def _start(self, name: str, made_for: tuple[Any, ...], fn: Any, *args: Any) -> None:
        old = self._tasks.get(name)
        if old is not None and not old.is_done:
            old.cancel()
        self._made_for.pop(name, None)
        ws, iid, today = made_for
        where = str(Path(ws.path).resolve()) if isinstance(getattr(ws, "path", None), Path) else ""
        task = self.runner.start(fn, *args, name=f"dashboard-{name}")
        self._tasks[name] = task
        handler = {
            "summary": self._on_summary_finished,
            "network": self._on_network_finished,
            "engagement": self._on_engagement_finished,
        }[name]

        def finished(result: tuple[int, Any], t: Task = task) -> None:
            if t is self._tasks.get(name) and self._facade.workspace is not None:
                self._made_for[name] = (where, iid, today, result[0])
                self._current.add(name)
                if name == "summary":  # every change reloads it: the others carry forward
                    self._carry_forward(result[0])
                handler(result[1])

        task.finished.connect(finished)
        task.failed.connect(lambda message, n=name: self._on_failed(n, message))

    def wait(self, msecs: int = 10_000) -> bool:
        return self.runner.wait(msecs)

    # -- results --------------------------------------------------------------------------------
    def _on_failed(self, name: str, message: str) -> None:
        keys = {
            "network": ("weighted", "hot_spots", "key_resisters"),
            "engagement": (FOLLOW_UPS, NOT_CONTACTED),
        }.get(name, ("people",))
        for key in keys:
            self.cards[key].show_value("—", f"Could not compute: {message}", INK)

    def _carry_forward(self, revision: int) -> None:
        """Network or engagement figures that no change since has touched (a risk edited,
        say) hold at the summary's newer revision too."""
        where, iid, today, _ = self._made_for["summary"]
        for part in ("network", "engagement"):
            made = self._made_for.get(part)
            if part in self._current and made is not None and made[:3] == (
                where, iid, None if part == "network" else today,
            ):  # fmt: skip
                self._made_for[part] = (*made[:3], revision)

    # -- the snapshot of the last run (services.dashboard_snapshot) -------------------------------
    def show_snapshot(self, snap: Snapshot) -> None:
        """Every figure from ``snap`` at once (the workspace opens after)."""
        self._stale.clear()
        self._current = {"summary", "network", "engagement"}
        self.from_snapshot = snap
        day = (snap.workspace, snap.initiative_id, snap.today, snap.revision)
        self._made_for = {
            "summary": day, "engagement": day, "network": (*day[:2], None, snap.revision),
        }  # fmt: skip
        self._on_summary_finished(snap.summary)
        self._on_network_finished(snap.network)
        self._on_engagement_finished(snap.engagement)

    def snapshot(self) -> Snapshot | None:
        """Every figure shown now, if all were computed for one workspace, initiative, day and
        revision and nothing is waiting to be reloaded; else None."""
        made = self._made_for
        summary = made.get("summary")
        if self._stale or summary is None or not summary[0] or summary[2] is None:
            return None
        where, iid, today, rev = summary
        if made.get("engagement") != summary or made.get("network") != (where, iid, None, rev):
            return None
        if self.summary is None or self.network is None or self.engagement is None:
            return None
        from cmio_desktop.services.dashboard_snapshot import Snapshot

        return Snapshot(where, iid, today, rev, self.summary, self.network, self.engagement)

    def _on_summary_finished(self, s: DashboardSummary) -> None:
        self.summary = s
        self.title.setText(s.organisation or "Dashboard")
        if s.initiative_id is None:
            self.subtitle.setText("No initiative yet")
        elif s.go_live is None:
            self.subtitle.setText(f"{s.initiative_name} · no go-live date set")
        else:
            d = s.days_to_go_live or 0
            when = f"{d} days to go-live" if d >= 0 else f"{-d} days since go-live"
            self.subtitle.setText(f"{s.initiative_name} · go-live {s.go_live:%a %d %b %Y} · {when}")
        self._show_summary(s)
        for chart in (self.readiness_chart, self.due_chart, self.training_chart):
            chart.set_summary(s)
        self.summary_loaded.emit()

    def _show_summary(self, s: DashboardSummary) -> None:
        c = self.cards
        c["people"].show_value(f"{s.people:,}", f"{s.assessed:,} with a readiness round", INK)
        if s.ready_pct is None:
            c["ready"].show_value("—", "No readiness rounds yet", INK)
        else:
            colour = GREEN if s.ready_pct >= 60 else AMBER if s.ready_pct >= 40 else RED
            mean = f"; mean {s.mean_readiness:.2f}" if s.mean_readiness is not None else ""
            c["ready"].show_value(f"{s.ready_pct:.0f} %", f"{s.ready:,} of {s.assessed:,} "
                                  f"assessed are ready{mean}", colour)  # fmt: skip
        c["due"].show_value(f"{s.activities_due_soon}", due_note(s),
                            TEAL if s.activities_due_soon else INK)  # fmt: skip
        c["overdue"].show_value(f"{s.activities_overdue}", overdue_note(s.activities_overdue),
                                RED if s.activities_overdue else GREEN)  # fmt: skip
        if s.training_pct is None:
            c["training"].show_value("—", "No required courses yet", INK)
        else:
            colour = GREEN if s.training_pct >= 90 else AMBER if s.training_pct >= 80 else RED
            note = f"{s.untrained:,} would lose access at go-live"
            c["training"].show_value(f"{s.training_pct:.0f} %", note, colour)
        c["risks"].show_value(str(s.open_critical_risks), f"of {s.open_risks} open risks",
                              RED if s.open_critical_risks else GREEN)  # fmt: skip
        from cmio_desktop.services.dashboard_figures import golive_figure

        figure = golive_figure(s)
        colour = {"go": GREEN, "conditional": AMBER, "no_go": RED}.get(figure.status, INK)
        c["golive"].show_value(figure.value, figure.note, colour)

    def _on_network_finished(self, n: NetworkKpis) -> None:
        self.network = n
        c = self.cards
        if n.influence_weighted is None:
            c["weighted"].show_value("—", "No readiness rounds yet", INK)
        else:
            v = n.influence_weighted
            colour = GREEN if v >= 4 else AMBER if v >= 3 else RED
            head = f"{n.headcount_readiness:.2f}" if n.headcount_readiness is not None else "—"
            c["weighted"].show_value(f"{v:.2f}", f"by headcount {head} (scale 1–5)", colour)
        self._show_people_card("hot_spots", n.hot_spots, n.top_hot_spots, n.assessed,
                               "none: the most influential are ready")  # fmt: skip
        # Key resisters need no readiness round: attitude alone can make one.
        self._show_people_card("key_resisters", n.key_resisters, n.top_key_resisters, None,
                               "none: no key player or top-10 % person resists")  # fmt: skip
        self.network_loaded.emit()

    def _show_people_card(
        self, key: str, count: int, top: list[tuple[int, str, str]], assessed: int | None,
        none: str,
    ) -> None:  # fmt: skip
        """A count of people and the first two names (never "influential and not ready" when
        nobody has been assessed: readiness cannot be judged yet)."""
        names = ", ".join(name for _, name, _ in top[:2])
        more = f" +{count - 2:,} more" if count > 2 else ""
        if assessed == 0:
            note = "No readiness rounds yet"
        elif not count:
            note = none
        else:
            note = f"{names}{more}"
        self.cards[key].show_value(str(count), note, RED if count else GREEN)

    def _on_engagement_finished(self, f: EngagementFigures) -> None:
        self.engagement = f
        self.cards[FOLLOW_UPS].show_value(*follow_ups_card(f))
        self.cards[NOT_CONTACTED].show_value(*not_contacted_card(f))
        self.engagement_loaded.emit()

    def show_list(self, key: str) -> PeopleListDialog | None:
        """The people behind an engagement card (nothing until its figures have arrived)."""
        if self.engagement is None:
            return None
        if self.list_dialog is not None:
            self.list_dialog.close()
        self.list_dialog = drill_down(
            key, self.engagement, lambda ids: self._show_in_register(ids, SOURCE[key]), self
        )
        self.list_dialog.open()
        return self.list_dialog

    def _show_in_register(self, ids: list[int], source: str) -> None:
        self.navigate.emit(Route("stakeholders"))  # opens (and builds) the register first
        self._facade.select_people(ids, source)


def due_note(s: DashboardSummary) -> str:
    """Plain words under the "due in 14 days" count: "due in the next 14 days; 12 open in all"."""
    return f"due in the next 14 days; {s.activities_open:,} open in all"


def overdue_note(count: int) -> str:
    if count == 0:
        return "nothing is past its due date"
    noun = "activity is" if count == 1 else "activities are"
    return f"{noun} past the due date and not done"
