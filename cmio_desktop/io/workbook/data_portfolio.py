"""Plain input of the Red zone and Saturation sheets (no openpyxl, no database).

``services/workbook/portfolio_sheets.py`` fills these from ``services.portfolio``: the red zone
from ``impact.red_zone`` (the function the app uses), the load grid and the clashes from
``load.portfolio``. Degree labels are display text ("High"); hours are per person per week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

IMPACT_ASPECT_LABELS = (
    "People",
    "Process",
    "Technology",
    "Workflow",
    "Training hours",
    "Job role",
    "Reporting",
)  # fmt: skip  (the order of models.impact.IMPACT_ASPECTS)


@dataclass(frozen=True)
class RedZoneEntry:
    """One department of the initiative: the rating that counts for it (``rated_for`` says
    whether it is the department's own, one of its roles' or the all-departments rating), its
    degree of impact, and its mean readiness. ``red`` is None when it may not be shown (an
    anonymised export with fewer than 5 people assessed)."""

    department: str
    rated_for: str
    aspects: tuple[int, ...]  # 0–5, in IMPACT_ASPECT_LABELS order
    score: float  # mean of the aspects
    degree: str  # "High", "Medium", "Low"
    readiness: float | None
    assessed: int
    red: bool | None


@dataclass(frozen=True)
class ClashEntry:
    """A saturated week of a department, or a week two or more initiatives share."""

    week: date  # Monday
    department: str
    hours: float
    threshold: float
    saturated: bool
    sentence: str  # the app's wording: "Periop, week of 01 Feb 2027: Downtime drill + …"


@dataclass(frozen=True)
class SaturationGrid:
    """Load per week (rows) and department (columns) across every initiative."""

    departments: tuple[str, ...] = ()
    thresholds: tuple[float, ...] = ()  # per department, hours per person per week
    weeks: tuple[date, ...] = ()  # Mondays, every week from the first loaded to the last
    hours: tuple[tuple[float, ...], ...] = ()  # [week][department]
    clashes: tuple[ClashEntry, ...] = ()
    initiatives: tuple[str, ...] = ()

    def over(self, week_index: int, department_index: int) -> bool:
        return self.hours[week_index][department_index] > self.thresholds[department_index]
