"""Table models for the import wizard: the mapped preview, the problems, the changes."""

from __future__ import annotations

import dataclasses
from contextlib import suppress
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal

from cmio_desktop.io.classification import classify
from cmio_desktop.io.mapping import field_specs
from cmio_desktop.io.read_values import display, to_text
from cmio_desktop.services.importing.pipeline import ImportSource
from cmio_desktop.services.importing.plan import show_value
from cmio_desktop.services.importing.run import ImportPlan, PlannedRow
from cmio_desktop.ui.common.table_model import Column, TableModel, style_headers

PREVIEW_ROWS = 50
_MUTED = "#5b6b7c"
_INFERRED = "#0f766e"
INFERRED = " (inferred)"
NEEDS_CLASSIFICATION = "Needs classification"


def _muted(_record: Any) -> str:
    return _MUTED


class PreviewModel(TableModel):
    """The first data rows below the header, one column per mapped field.

    Text is shown as the file has it; list fields by their labels ("Nurse", not "nurse").
    People imports always show Role and Group as the import will store them: read, inferred
    from the job title (marked "(inferred)", the reason in the tooltip), or "Needs
    classification". A record is (file row number, texts, tooltips).
    """

    def __init__(self) -> None:
        super().__init__([], id_of=lambda r: r[0])

    @property
    def headers(self) -> list[str]:
        return [c.title for c in self.columns]

    def set_source(self, source: ImportSource | None) -> None:
        if source is None:
            self.set_columns([])
            return
        specs = field_specs(source.kind)
        people = source.kind == "stakeholders"
        fields = [
            name
            for name in specs
            if name in source.mapping or (people and name in ("role", "group"))
        ]
        records = []
        start = source.header_index + 1
        table = source.table
        for cells, number in zip(
            table.rows[start : start + PREVIEW_ROWS],
            table.row_numbers[start : start + PREVIEW_ROWS],
            strict=True,
        ):
            shown = {name: _cell_text(cells, source.mapping.get(name)) for name in fields}
            tips = dict.fromkeys(fields, "")
            for name in fields:
                enum = specs[name].enum
                if enum is not None and shown[name] and name not in ("role", "group"):
                    with suppress(ValueError):
                        shown[name] = enum.from_text(shown[name]).label
            if people:
                _show_classification(source, cells, shown, tips)
            records.append((number, [shown[n] for n in fields], [tips[n] for n in fields]))
        columns = [Column("Row", lambda r: str(r[0]), key=lambda r: r[0], colour=_muted)]
        for i, name in enumerate(fields):
            columns.append(
                Column(
                    specs[name].label,
                    lambda r, i=i: r[1][i],
                    tooltip=lambda r, i=i: r[2][i] or None,
                    colour=lambda r, i=i: _INFERRED if r[2][i] else None,
                )
            )
        self.set_columns(style_headers(columns), records)


def _cell_text(cells: list[Any], column: int | None) -> str:
    return display(cells[column]) if column is not None and column < len(cells) else ""


def _show_classification(
    source: ImportSource, cells: list[Any], shown: dict[str, str], tips: dict[str, str]
) -> None:
    """Role and group as the import will decide them (see ``io.classification.classify``)."""
    text = {name: to_text(_cell_raw(cells, source.mapping.get(name))) for name in FIELDS_USED}
    found = classify(text["role"], text["group"], text["title"], text["department"])
    for name, value, reason in (
        ("role", found.role, found.role_reason),
        ("group", found.group, found.group_reason),
    ):
        if value is None:
            shown[name], tips[name] = NEEDS_CLASSIFICATION, reason
        elif reason:
            shown[name], tips[name] = value.label + INFERRED, f"Inferred {reason}."
        else:
            shown[name] = value.label


FIELDS_USED = ("role", "group", "title", "department")


def _cell_raw(cells: list[Any], column: int | None) -> Any:
    return cells[column] if column is not None and column < len(cells) else None


def _issue_column(issue: Any) -> str:
    column = issue.column
    if issue.letter and column != f"Column {issue.letter}":
        column = f"{issue.letter}:  {column}"  # as the column combos name it
    return column


def _same(text: Any) -> Any:
    """A column whose tooltip repeats its (possibly clipped) text."""
    return lambda r: text(r) or None


_ISSUE_TEXTS = (
    ("Row", lambda i: str(i.row)),
    ("Column", _issue_column),
    ("Value", lambda i: i.value),
    ("Problem", lambda i: i.reason),
)


class IssuesModel(TableModel):
    """Rejected rows: row number, column, value as found, the reason."""

    def __init__(self) -> None:
        columns = [
            Column(title, text, tooltip=_same(text), colour=_muted if n == 0 else None)
            for n, (title, text) in enumerate(_ISSUE_TEXTS)
        ]
        columns[0] = replace(columns[0], key=lambda i: i.row)
        super().__init__(style_headers(columns), id_of=lambda i: (i.row, i.column, i.reason))

    def set_issues(self, issues: list[Any]) -> None:
        self.set_rows(issues)


def _details(planned: PlannedRow, tooltip: bool = False) -> str:
    inferred = dict(planned.inferred)
    if planned.status == "new":
        text = new_summary(planned.values or {}, frozenset(inferred))
        if tooltip and inferred:
            why = "; ".join(f"{_COLUMN_WORDS[c]} {r}" for c, r in inferred.items())
            return f"{text}\n{why}"
        return text
    if planned.status == "unchanged":
        return "no change"
    return "; ".join(
        change.describe()
        + (f" (inferred {inferred[change.column]})" if change.column in inferred else "")
        for change in planned.changes
    )


class ChangesModel(TableModel):
    """New, updated or unchanged rows of a plan: row number, who or what, the changes."""

    def __init__(self) -> None:
        super().__init__(
            style_headers([
                Column("Row", lambda p: str(p.row), key=lambda p: p.row, colour=_muted,
                       tooltip=lambda p: str(p.row)),
                Column("Record", lambda p: p.label, tooltip=_same(lambda p: p.label)),
                Column("Details", _details, tooltip=lambda p: _details(p, tooltip=True) or None,
                       colour=lambda p: None if p.status == "updated" else _MUTED),
            ]),
            id_of=lambda p: p.row,
        )  # fmt: skip


_COLUMN_WORDS = {"role": "role", "stakeholder_group": "group"}


def new_summary(values: dict[str, Any], inferred: frozenset[str] = frozenset()) -> str:
    """What a new row will hold, in a few words ("Nurse · Frontline clinician · ICU"); values
    not read from the file are marked "(inferred)", unclassified ones "needs classification"."""
    if "stakeholder_group" in values:
        parts: list[Any] = []
        for column in ("role", "stakeholder_group"):
            value = values[column]
            if value == "unclassified":
                parts.append(f"{_COLUMN_WORDS[column]} needs classification")
            else:
                parts.append(show_value(value) + (INFERRED if column in inferred else ""))
        parts.append(values.get("department"))
        parts.append(f"power (rated) {values['power']}, interest {values['interest']}")
    elif "strength" in values:
        parts = [values["kind"], f"strength {values['strength']}"]
    elif "awareness" in values:
        scores = (
            values[k] for k in ("awareness", "desire", "knowledge", "ability", "reinforcement")
        )
        parts = [
            "ADKAR "
            + " ".join(f"{letter}{score}" for letter, score in zip("ADKAR", scores, strict=True))
        ]
    else:
        completed = values.get("completed_on")
        parts = [
            f"completed {completed.isoformat()}" if completed else "not completed",
            values.get("proficiency"),
        ]
    return "new: " + " · ".join(show_value(p) for p in parts if p not in (None, ""))


def rows_for(plan: ImportPlan, category: str) -> list[PlannedRow]:
    return {"new": plan.new, "updated": plan.updated, "unchanged": plan.unchanged}[category]


def _create_text(dup: Any) -> str:
    return (
        "will be created as a new person"
        if dup.created
        else ("skipped (tick to create a new person)")
    )


class DuplicatesModel(TableModel):
    """Possible duplicates: row, the person in the file, who they may be, and a check box to
    create them anyway (the per-row choice; unticked rows are skipped)."""

    toggled = Signal(int, bool)  # file row, create

    def __init__(self) -> None:
        super().__init__(
            style_headers([
                Column("Row", lambda d: str(d.row), key=lambda d: d.row, colour=_muted,
                       tooltip=lambda d: str(d.row)),
                Column("In the file", lambda d: d.label, tooltip=_same(lambda d: d.label)),
                Column("May already be", lambda d: d.match_label,
                       tooltip=_same(lambda d: d.match_label)),
                Column("Create anyway", _create_text, tooltip=_create_text,
                       check=lambda d: d.created),
            ]),
            id_of=lambda d: d.row,
        )  # fmt: skip

    def set_duplicates(self, duplicates: list[Any]) -> None:
        self.set_rows(duplicates)

    def set_checked(self, record: Any, column: int, checked: bool) -> Any | None:
        dup = dataclasses.replace(record, created=checked)
        self.toggled.emit(dup.row, checked)
        return dup
