"""The executive workbook (.xlsx): Summary with native charts, register, grid, influence, ADKAR
heat map, red zone, plan, saturation, communications, training, risks, go/no-go, the optional
History and Notes.

``data`` holds the plain input (no openpyxl); ``writer.write_workbook`` lays it out. openpyxl
is imported only when a workbook is written, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import Any

from cmio_desktop.io.workbook.data import (
    ActivityRow,
    AttitudeCount,
    CommunicationRow,
    CriterionRow,
    DepartmentReadiness,
    GoNoGo,
    InfluenceRow,
    Kpi,
    PersonName,
    QuadrantRow,
    RegisterRow,
    RiskRow,
    TrainingRow,
    TrendPoint,
    WorkbookData,
    WorkbookMeta,
)

__all__ = [
    "SHEETS",
    "SHEET_KEYS",
    "ActivityRow",
    "AttitudeCount",
    "CommunicationRow",
    "CriterionRow",
    "DepartmentReadiness",
    "GoNoGo",
    "InfluenceRow",
    "Kpi",
    "PersonName",
    "QuadrantRow",
    "RegisterRow",
    "RiskRow",
    "TrainingRow",
    "TrendPoint",
    "WorkbookData",
    "WorkbookMeta",
    "WorkbookResult",
    "write_workbook",
]

_LAZY = {"SHEETS", "SHEET_KEYS", "WorkbookResult", "write_workbook"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from cmio_desktop.io.workbook import writer

        return getattr(writer, name)
    raise AttributeError(name)
