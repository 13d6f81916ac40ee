"""GoLivePage: the go/no-go scorecard, evaluated live — the recommendation (go, conditional,
no-go, or not assessed without criteria or data) with its reasons and the days to go-live,
every criterion red/amber/green/not assessed with its value and threshold, and the evidence
behind the selected one with the planned activities that address it — or "no action planned"
and a button that drafts one (the activity dialog, prefilled; saved as one undo step).
Criteria are added from templates or as custom ones, edited and deleted through undo
commands. A second tab holds the super-user roster and its coverage (``golive.super_users``),
with the super-user criterion's verdict from the same scorecard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.golive import CriterionResult, Overall, Scorecard, Status
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.conflicts import VERSION
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.governance import golive
from cmio_desktop.services.initiatives import list_initiatives
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.common.record_tab import RecordTab
from cmio_desktop.ui.common.undo import CreateCommand, DeleteCommand, UpdateCommand, push
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.golive.criterion_dialog import CriterionDialog
from cmio_desktop.ui.golive.super_users import SuperUsersView
from cmio_desktop.ui.golive.widgets import COLUMNS, OVERALL_STYLE, STATUS_COLOURS, StatusCounts
from cmio_desktop.ui.help_link import HelpLink
from cmio_desktop.ui.lazy_tabs import LazyRefreshMixin
from cmio_desktop.ui.page_heading import PageHeading
from cmio_desktop.ui.plan.activity_dialog import ActivityDialog


class GoLivePage(LazyRefreshMixin, QWidget):
    #: Every change that can move a criterion, and the go-live date.
    DEPENDS_ON = frozenset(
        {
            ChangeKind.ACTIVITY,
            ChangeKind.TRAINING,
            ChangeKind.RISK,
            ChangeKind.STAKEHOLDER,
            ChangeKind.ASSESSMENT,
            ChangeKind.INITIATIVE,
            ChangeKind.CRITERION,
            ChangeKind.WORKSPACE_SETTING,
            ChangeKind.RELATIONSHIP,
            ChangeKind.SUPER_USER,
        }
    )

    refreshed = Signal()

    def __init__(
        self, facade: WorkspaceFacade, clock: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.facade, self.clock = facade, clock
        self.card: Scorecard | None = None
        self.stale = True
        self._build()
        facade.opened.connect(self.invalidate)
        facade.initiative_changed.connect(lambda _i: self.invalidate())
        facade.changed.connect(self._on_facade_changed)

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        self.invalidate()

    def _build(self) -> None:
        heading = PageHeading("Go-live")
        self.caption = heading.caption

        self.banner = QFrame()
        self.banner.setObjectName("goLiveBanner")
        self.verdict = QLabel()
        self.verdict.setStyleSheet("font-size: 22pt; font-weight: 700;")
        self.days = QLabel()
        self.days.setStyleSheet("font-size: 11pt; font-weight: 600;")
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.counts = StatusCounts()
        left = QVBoxLayout()
        verdict_row = QHBoxLayout()
        verdict_row.addWidget(self.verdict)
        verdict_row.addWidget(HelpLink("go-no-go"), 0, Qt.AlignmentFlag.AlignTop)
        verdict_row.addStretch(1)
        left.addLayout(verdict_row)
        left.addWidget(self.days)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(18, 12, 18, 12)
        banner_layout.addLayout(left)
        banner_layout.addSpacing(24)
        banner_layout.addWidget(self.reasons, 1)
        banner_layout.addWidget(self.counts)

        self.table = RecordTab(
            COLUMNS,
            "criterion",
            "golive.criterion",
            stretch=1,
            sort_column=0,
            id_of=lambda r: r.spec.id,
            plural="criteria",
        )
        # Criterion names wrap (a handful of rows) rather than shrink to "Physici…".
        self.table.view.setWordWrap(True)
        self.table.view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        menu = QMenu(self.table.add_button)
        menu.addAction("Custom criterion…", lambda: self.add_criterion(None))
        menu.addSeparator()
        for i, t in enumerate(golive.TEMPLATES):
            menu.addAction(f"From template: {t.title}…", lambda i=i: self.add_criterion(i))
        self.table.add_button.setMenu(menu)  # the button and the Edit menu offer the same list
        self.table.commands["golive.criterion.add"].setMenu(menu)
        self.table.add_requested.connect(lambda: self.add_criterion(None))
        self.table.edit_requested.connect(self.edit_criterion)
        self.table.delete_requested.connect(self.delete_criteria)
        self.table.view.selectionModel().selectionChanged.connect(self._show_evidence)
        self.table.model.modelReset.connect(self._show_evidence)
        self.evidence = QTextBrowser()
        self.evidence.setOpenLinks(False)
        evidence_box = QWidget()
        evidence_layout = QVBoxLayout(evidence_box)
        evidence_layout.setContentsMargins(0, 8, 0, 0)
        evidence_title = QLabel("Evidence")
        evidence_title.setStyleSheet("font-weight: 600; color: #1f2a37;")
        evidence_layout.addWidget(evidence_title)
        evidence_layout.addWidget(self.evidence, 1)
        self.commands = ActionSet(
            self,
            {
                "golive.criterion.draft_activity": self.draft_activity,
                "golive.scorecard.evaluate": self.refresh,
            },
        )
        self.commands["golive.criterion.draft_activity"].setVisible(False)  # until it applies
        self.draft_button = self.commands.button("golive.criterion.draft_activity")
        evidence_layout.addWidget(self.draft_button, 0, Qt.AlignmentFlag.AlignLeft)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(evidence_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        evidence_box.setMinimumWidth(220)
        split.setSizes([880, 320])
        self.refresh_button = self.commands.button("golive.scorecard.evaluate")
        self.table.bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.addLayout(heading)
        layout.addWidget(self.banner)
        self.super_users = SuperUsersView(self.facade)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(split, "Scorecard")
        self.tabs.addTab(self.super_users, "Super-users")
        layout.addWidget(self.tabs, 1)

    def command_actions(self) -> list[QAction]:
        """The open tab's commands, for the Edit menu."""
        if self.tabs.currentWidget() is self.super_users:
            return self.super_users.command_actions()
        return [*self.table.command_actions(), *self.commands]

    # -- refresh -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.stale = False
        if self.facade.workspace is None or self.facade.initiative_id is None:
            return
        today = self.clock()
        try:
            self.card = golive.evaluate(self.facade.ws, self.facade.initiative_id, today)
        except ServiceError as exc:
            self.caption.setText(str(exc))
            return
        self._show_card(self.card, today)
        metric = "super_users_per_frontline"
        self.super_users.show_criterion(
            next((r for r in self.card.results if r.spec.metric == metric), None)
        )
        self.super_users.invalidate()  # now if its tab is open, else when it is shown
        self.refreshed.emit()

    def _show_card(self, card: Scorecard, today: date) -> None:
        colour, background = OVERALL_STYLE[card.overall]
        self.banner.setStyleSheet(
            f"QFrame#goLiveBanner {{ background: {background}; border: 1px solid {colour};"
            " border-radius: 8px; }"
        )
        self.verdict.setText(f"<span style='color:{colour}'>{card.overall.label.upper()}</span>")
        if card.days_to_go_live is None:
            self.days.setText("No go-live date set")
        else:
            d = card.days_to_go_live
            when = f"{d} days to go-live" if d >= 0 else f"{-d} days since go-live"
            self.days.setText(when)
        items = "".join(f"<li>{escape(r)}</li>" for r in card.reasons[:5])
        more = f"<li>… and {len(card.reasons) - 5} more</li>" if len(card.reasons) > 5 else ""
        rule = (
            "No-go if any critical criterion is red; not assessed without criteria or data; "
            "conditional if a critical one is amber or a major one red; go otherwise."
        )
        self.reasons.setText(
            f"<ul style='margin:0; padding-left:14px'>{items}{more}</ul>"
            f"<span style='color:#5b6b7c; font-size:9pt'>{rule}</span>"
        )
        self.counts.set_results(card.results)
        self.table.set_rows(list(card.results))
        iid = self.facade.initiative_id
        name = next((i.name for i in list_initiatives(self.facade.ws) if i.id == iid), "")
        self.caption.setText(f"{name} · evaluated {today:%d %b %Y} from live data")

    def _show_evidence(self) -> None:
        rows: list[CriterionResult] = self.table.selected()
        draft = self.commands["golive.criterion.draft_activity"]
        draft.setVisible(len(rows) == 1 and rows[0].no_action_planned)
        if len(rows) != 1:
            self.evidence.setHtml("<p style='color:#5b6b7c'>Select a criterion.</p>")
            return
        r = rows[0]
        colour = STATUS_COLOURS[r.status]
        lines = "".join(f"<li>{escape(line)}</li>" for line in r.evidence)
        self.evidence.setHtml(
            f"<h3 style='margin:0'>{escape(r.name)}</h3>"
            f"<p><span style='color:{colour}; font-weight:700'>{r.status.label.upper()}</span>"
            f" — value <b>{escape(r.value_text)}</b>, needs <b>{escape(r.threshold_text)}</b>"
            f" (amber band {r.spec.amber_band:g}); {r.spec.criticality} criterion.</p>"
            f"<ul>{lines}</ul>{self._actions_html(r)}"
        )

    @staticmethod
    def _actions_html(r: CriterionResult) -> str:
        if r.no_action_planned:
            return (
                f"<p style='color:{STATUS_COLOURS[Status.RED]}; font-weight:600'>"
                "No action planned.</p>"
            )
        if not r.addressed_by:
            return ""
        items = "".join(f"<li>{escape(t)}</li>" for t in r.addressed_titles[:12])
        more = len(r.addressed_titles) - 12
        extra = f"<li>… and {more} more</li>" if more > 0 else ""
        return f"<p style='margin-bottom:0'><b>Addressed by</b></p><ul>{items}{extra}</ul>"

    def draft_activity(self) -> ActivityDialog | None:
        """Open the activity dialog prefilled for the selected criterion; saving it is one undo
        step."""
        rows: list[CriterionResult] = self.table.selected()
        iid = self.facade.initiative_id
        if len(rows) != 1 or iid is None or self.card is None:
            return None
        today = self.clock()
        go_live = None if self.card.days_to_go_live is None else (
            today + timedelta(days=self.card.days_to_go_live))  # fmt: skip
        values, audience = golive.draft_activity(rows[0], today, go_live)
        owners = plan.owners(plan.list_activities(self.facade.ws, iid, today))
        dialog = ActivityDialog(
            plan.audience_choices(self.facade.ws), owners, values, audience,
            selected_people=lambda: list(self.facade.selected_ids), parent=self, today=today,
        )  # fmt: skip
        if not dialog.exec():
            return dialog
        new, entries = dialog.activity_values(), dialog.audience_entries()
        push(self.facade, CreateCommand(
            self.facade, f"add activity {new['title']}",
            lambda ws: plan.create_activity(ws, iid, new, entries), plan.delete_activities,
            self._report,
        ))  # fmt: skip
        return dialog

    # -- edits ---------------------------------------------------------------------------------
    def _report(self, title: str, message: str) -> None:
        show_error(self, title, message)

    def _departments(self) -> list[str]:
        return plan.audience_choices(self.facade.ws).departments

    def add_criterion(self, template: int | None) -> CriterionDialog | None:
        iid = self.facade.initiative_id
        if iid is None:
            return None
        dialog = CriterionDialog(self._departments(), template=template, parent=self)
        if dialog.exec():
            values = dialog.values()
            push(self.facade, CreateCommand(
                self.facade, f"add criterion {values['name']}",
                lambda ws: golive.create_criterion(ws, iid, values), golive.delete_criteria,
                self._report,
            ))  # fmt: skip
        return dialog

    def edit_criterion(self, result: CriterionResult) -> None:
        spec = result.spec
        if spec.id is None:
            return
        current = {"name": spec.name, "metric": spec.metric, "threshold": spec.threshold,
                   "amber_band": spec.amber_band, "criticality": spec.criticality,
                   "scope": spec.scope}  # fmt: skip
        dialog = CriterionDialog(self._departments(), current, parent=self)
        if not dialog.exec():
            return
        changed = {k: v for k, v in dialog.values().items() if current.get(k) != v}
        if changed:
            ident = spec.id
            push(self.facade, UpdateCommand(
                self.facade, f"edit criterion {spec.name}",
                lambda ws, vals: golive.update_criterion(ws, ident, vals), changed, self._report,
                {**{k: current[k] for k in changed if k in current}, VERSION: spec.version},
            ))  # fmt: skip

    def delete_criteria(self, results: list[CriterionResult]) -> None:
        ids = [r.spec.id for r in results if r.spec.id is not None]
        text = f"delete criterion {results[0].name}" if len(ids) == 1 else (
            f"delete {len(ids)} criteria")  # fmt: skip
        versions = {r.spec.id: r.spec.version for r in results if r.spec.id is not None}
        push(self.facade, DeleteCommand(self.facade, text, ids, golive.delete_criteria,
                                        self._report, versions))  # fmt: skip


__all__ = ["GoLivePage", "Overall"]
