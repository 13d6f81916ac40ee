"""Pieces of the go-live page: the criteria columns, status colours and the status tally.
"Not assessed" (no criteria or no data) is grey: never green."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from cmio_desktop.analysis.golive import CriterionResult, Overall, Status, scope_label
from cmio_desktop.enums import Criticality
from cmio_desktop.ui.common.table_model import Column

STATUS_COLOURS = {Status.GREEN: "#047857", Status.AMBER: "#b45309", Status.RED: "#b91c1c",
                  Status.NOT_ASSESSED: "#4b5563"}  # fmt: skip
STATUS_BACKGROUNDS = {Status.GREEN: "#ecfdf5", Status.AMBER: "#fffbeb", Status.RED: "#fef2f2",
                      Status.NOT_ASSESSED: "#f3f4f6"}  # fmt: skip
OVERALL_STYLE = {
    Overall.GO: ("#047857", "#ecfdf5"),
    Overall.CONDITIONAL: ("#b45309", "#fffbeb"),
    Overall.NO_GO: ("#b91c1c", "#fef2f2"),
    Overall.NOT_ASSESSED: ("#4b5563", "#f3f4f6"),
}
_STATUS_RANK = {Status.RED: 0, Status.AMBER: 1, Status.NOT_ASSESSED: 2, Status.GREEN: 3}


def action_text(r: CriterionResult) -> str:
    """What the plan does about a red or amber criterion."""
    if not r.status.needs_action:
        return ""
    if r.no_action_planned:
        return "None planned"
    return f"{len(r.addressed_by)} planned"


_CRIT_RANK = {c.value: i for i, c in enumerate(Criticality)}

COLUMNS = (
    Column("Status", lambda r: f"● {r.status.label}",
           key=lambda r: (_STATUS_RANK[r.status], _CRIT_RANK.get(r.spec.criticality, 9)),
           colour=lambda r: STATUS_COLOURS[r.status], bold=lambda r: True, width=86),
    Column("Criterion", lambda r: r.name, tooltip=lambda r: "\n".join(r.evidence), width=300),
    Column("Value", lambda r: r.value_text, key=lambda r: r.value, align="right", width=80,
           colour=lambda r: STATUS_COLOURS[r.status]),
    Column("Needs", lambda r: r.threshold_text, align="right", width=84),
    Column("Criticality", lambda r: Criticality(r.spec.criticality).label,
           key=lambda r: _CRIT_RANK.get(r.spec.criticality, 9), width=84),
    Column("Scope", lambda r: scope_label(r.spec.scope).capitalize(), width=92),
    Column("Action", action_text, width=100,
           tooltip=lambda r: "\n".join(r.addressed_titles) or action_text(r),
           colour=lambda r: STATUS_COLOURS[Status.RED] if r.no_action_planned else "#1f2a37"),
)  # fmt: skip


class StatusCounts(QWidget):
    """Three chips: how many criteria are red, amber and green."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[Status, QLabel] = {}
        for status in (Status.RED, Status.AMBER, Status.GREEN, Status.NOT_ASSESSED):
            label = QLabel()
            label.setMinimumWidth(74)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(
                f"background: {STATUS_BACKGROUNDS[status]}; color: {STATUS_COLOURS[status]};"
                f" border: 1px solid {STATUS_COLOURS[status]}; border-radius: 6px;"
                " padding: 6px 10px; font-weight: 600;"
            )
            self.labels[status] = label
            layout.addWidget(label)

    def set_results(self, results: Sequence[CriterionResult]) -> None:
        counts = Counter(r.status for r in results)
        for status, label in self.labels.items():
            label.setText(f"{counts.get(status, 0)} {status.label.lower()}")
        self.labels[Status.NOT_ASSESSED].setVisible(bool(counts.get(Status.NOT_ASSESSED)))
