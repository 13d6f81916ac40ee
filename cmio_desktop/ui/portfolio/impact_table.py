"""The change-impact table: one row per rating (department or role) of the current initiative,
its seven aspects (typed in place, 0–5), the degree of impact, and the department's readiness
as the red zone reads it (``services.portfolio.impact.red_zone``, the dashboard's figure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.models.impact import IMPACT_ASPECTS
from cmio_desktop.services.portfolio.impact import ASPECT_LABELS, ImpactRow, RedZoneRow
from cmio_desktop.ui.common.table_model import Column, Index, TableModel

SHORT_LABELS = {
    "people": "People",
    "process": "Process",
    "technology": "Tech.",
    "workflow": "Workflow",
    "training_hours": "Training",
    "job_role": "Job role",
    "reporting": "Reports",
}
DEGREE_COLOURS = {"high": "#b91c1c", "medium": "#b45309", "low": "#047857"}
RED_ROW = "#fee2e2"
BANDS = ("not_assessed", "not_ready", "at_risk", "ready")


def zone_band(readiness: float | None, settings: ReadinessSettings) -> str:
    """The band of a department's mean readiness as the red zone judges it (the raw mean
    against the ready threshold, so the map and the red flags always agree)."""
    if readiness is None:
        return "not_assessed"
    if readiness >= settings.ready_threshold:
        return "ready"
    return "not_ready" if readiness < settings.barrier_max else "at_risk"


def band_labels(settings: ReadinessSettings) -> dict[str, str]:
    low, ready = settings.barrier_max, settings.ready_threshold
    return {
        "not_assessed": "Not\nassessed",
        "not_ready": f"Not ready\n< {low:g}",
        "at_risk": f"At risk\n{low:g} – {ready:g}",
        "ready": f"Ready\n≥ {ready:g}",
    }


@dataclass(frozen=True)
class ImpactLine:
    """A rating with its department's readiness beside it."""

    row: ImpactRow
    zone: RedZoneRow | None  # the department's red-zone entry (None: all departments)
    red: bool

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def readiness_text(self) -> str:
        if self.zone is None:
            return "each department"
        if self.zone.readiness is None:
            return "not assessed"
        return f"{self.zone.readiness:.2f} ({self.zone.assessed})"


def impact_lines(rows: list[ImpactRow], zone: list[RedZoneRow]) -> list[ImpactLine]:
    by_department = {z.department: z for z in zone}
    red_departments = {z.department for z in zone if z.red}
    out = []
    for row in rows:
        entry = by_department.get(row.department) if row.department else None
        red = row.degree == "high" and (
            row.department in red_departments if row.department else bool(red_departments)
        )
        out.append(ImpactLine(row, entry, red))
    return out


def _aspect_column(aspect: str) -> Column:
    return Column(
        SHORT_LABELS[aspect], lambda r, a=aspect: str(r.row.aspects[a]),
        key=lambda r, a=aspect: r.row.aspects[a], align="center", width=60, name=aspect,
        header_tip=f"{ASPECT_LABELS[aspect]}: 0 (no change) to 5 (transformed). Double-click "
        "to type a new value.",
        edit=lambda r, _text: r,  # the page stores it (ImpactTableModel.setData)
    )  # fmt: skip


IMPACT_COLUMNS = (
    Column("Department", lambda r: r.row.scope, width=140, name="scope",
           tooltip=lambda r: r.row.scope),
    *(_aspect_column(a) for a in IMPACT_ASPECTS),
    Column("Degree", lambda r: f"{r.row.degree.capitalize()} · {r.row.score:.1f}",
           key=lambda r: r.row.score, width=100, name="degree",
           colour=lambda r: DEGREE_COLOURS[r.row.degree], bold=lambda r: r.row.degree == "high",
           header_tip="Degree of impact and the mean of the seven aspects. High: mean 3 or more, "
           "or any aspect at 5; medium: mean 1.5 or more; else low"),
    Column("Readiness", lambda r: r.readiness_text,
           key=lambda r: r.zone.readiness if r.zone else None, align="right", width=88,
           header_tip="The department's mean readiness (people assessed), as on the dashboard"),
    Column("Red zone", lambda r: "RED" if r.red else "", key=lambda r: r.red, width=80,
           tooltip=lambda r: "In the red zone: high impact where readiness is below the ready "
           "threshold (or nobody is assessed)" if r.red else None,
           colour=lambda r: "#991b1b", bold=lambda r: True,
           header_tip="High impact where readiness is below the ready threshold"),
)  # fmt: skip


class ImpactTableModel(TableModel):
    """The table model, but a typed aspect is not kept here: it is announced (queued, after
    the editor has closed) for the page to store as an undo step; the refresh shows it."""

    #: (ImpactLine, aspect, typed text)
    aspect_edited = Signal(object, str, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(IMPACT_COLUMNS, parent=parent)
        self.row_background = lambda r: RED_ROW if r.red else None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        line = self.record_at(index)
        column = self.columns[index.column()] if line is not None else None
        if column is None or column.name not in IMPACT_ASPECTS:
            return super().setData(index, value, role)
        if role != Qt.ItemDataRole.EditRole or column.text(line) == str(value).strip():
            return False
        self.aspect_edited.emit(line, column.name, str(value))
        return False
