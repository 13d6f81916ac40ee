"""What an import would do (the dry run), as plain data the UI and the CLI can show.

An :class:`ImportPlan` sorts every data row of a file into new, updated (with each changed
field, old → new), unchanged or rejected (a :class:`~cmio_desktop.io.validation.RowIssue` per
problem, with the spreadsheet's own row number). The planners live in ``import_*`` modules;
:mod:`.importing` builds plans and commits them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from cmio_desktop.enums import LabelledEnum, Role, StakeholderGroup
from cmio_desktop.io.mapping import field_specs
from cmio_desktop.io.validation import RowIssue

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

#: Import kind → the table it writes, the entity name for ``facade.notify`` and its nouns.
TABLES = {
    "stakeholders": "stakeholder",
    "relationships": "relationship",
    "assessments": "assessment",
    "training": "training_completion",
    "engagement": "engagement_entry",
}
_NOUNS = {
    "stakeholders": ("person", "people"),
    "relationships": ("tie", "ties"),
    "assessments": ("assessment", "assessments"),
    "training": ("training record", "training records"),
    "engagement": ("log entry", "log entries"),
}


def count_of(kind: str, n: int) -> str:
    """ "1 person", "312 people", "4 ties"…"""
    one, many = _NOUNS[kind]
    return f"{n:,} {one if n == 1 else many}"


def missing_label(rejected_rows: int) -> str:
    """What the people a file did not match are called: "not in the file", unless rows were
    rejected, which may name some of them."""
    if not rejected_rows:
        return "not in the file"
    rows = "row" if rejected_rows == 1 else f"{rejected_rows:,} rows"
    return f"not matched by an accepted row (the rejected {rows} may name some)"


def show_value(value: Any) -> str:
    """A stored value as the user reads it: labels for lists, Yes/No, ISO dates, "(blank)"."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):  # custom fields
        return "; ".join(f"{k}: {show_value(v)}" for k, v in value.items()) or "(blank)"
    return str(value)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Choices the user makes for one import.

    ``valid_rows_only``: import the good rows even when some are rejected (default: nothing is
    written while any row is rejected). ``blank_keeps``: a blank cell in a mapped column keeps
    the stored value (default: it clears optional text, so that deleting a cell in an exported
    register is an edit too; lists, scores and dates are always kept when blank).
    ``default_role`` / ``default_group``: given to new people whose role or group is neither in
    the file nor inferable from their job title; without one they are stored as unclassified
    (never rejected). ``duplicates``: what to do with a new row that is possibly someone
    already in the register (same name, no ID or email): ``"skip"`` (default) or ``"create"``;
    ``create_rows`` creates these file rows anyway (the wizard's per-row choice).
    ``initiative_id``: the initiative assessments are filed under and training courses are
    looked up in (default: the first initiative).
    """

    valid_rows_only: bool = False
    blank_keeps: bool = False
    default_role: Role | None = None
    default_group: StakeholderGroup | None = None
    initiative_id: int | None = None
    duplicates: str = "skip"
    create_rows: frozenset[int] = frozenset()
    delete_missing: bool = False


@dataclass(frozen=True, slots=True)
class FieldChange:
    column: str  # the database column
    label: str  # how the user calls the field ("power (rated)")
    old: Any
    new: Any

    def describe(self) -> str:
        return f"{self.label}: {show_value(self.old)} → {show_value(self.new)}"


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One file row that would be written (or left as it is).

    ``values`` is the full row to insert (new) or the changed columns → new values (updated).
    ``inferred``: (column, reason) of the values not read from the file as given — a role
    inferred from the job title, an unclassified group — for the preview to mark.
    """

    row: int
    status: str
    label: str
    target_id: int | None = None
    values: dict[str, Any] | None = None
    changes: tuple[FieldChange, ...] = ()
    inferred: tuple[tuple[str, str], ...] = ()

    @property
    def needs_classification(self) -> bool:
        values = self.values or {}
        return any(values.get(c) == "unclassified" for c in ("role", "stakeholder_group"))

    def inferred_columns(self) -> frozenset[str]:
        return frozenset(column for column, _ in self.inferred)

    def describe_changes(self) -> str:
        return "; ".join(change.describe() for change in self.changes)


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    """A file row that may be someone already in the register (same name, no ID or email)."""

    row: int
    label: str
    match_id: int
    match_label: str
    created: bool  # the import creates the row anyway (by option or the user's choice)


@dataclass
class ImportPlan:
    kind: str
    table: str
    source_name: str
    options: ImportOptions
    new: list[PlannedRow] = field(default_factory=list)
    updated: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)
    data_rows: int = 0
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)
    initiative_id: int | None = None
    initiative_name: str = ""
    audit_mark: int = 0  # the latest audit row when the plan was made (staleness check)
    duplicates: list[PossibleDuplicate] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)  # field → column letter

    @property
    def skipped_duplicates(self) -> list[PossibleDuplicate]:
        return [d for d in self.duplicates if not d.created]

    @property
    def inferred_rows(self) -> int:
        """Rows written with a role or group not read from the file as given."""
        return sum(1 for p in (*self.new, *self.updated) if p.inferred)

    @property
    def unclassified_rows(self) -> int:
        """Rows that leave a person needing classification (new people only: an update never
        sets unclassified)."""
        return sum(1 for p in self.new if p.needs_classification)

    def first_fix(self) -> str | None:
        """When every data row is rejected: one sentence saying what to fix first (the problem
        on the most rows), else ``None``."""
        rows = self.rejected_rows
        if not rows or len(rows) < self.data_rows or self.has_changes or self.unchanged:
            return None
        by_problem: dict[tuple[str, str, str], set[int]] = {}
        for issue in self.rejected:
            key = (issue.letter, issue.column, issue.reason)
            by_problem.setdefault(key, set()).add(issue.row)
        (letter, column, reason), hit = max(by_problem.items(), key=lambda kv: len(kv[1]))
        where = f"column {letter} ({column})" if letter else column
        share = "every row" if len(hit) == len(rows) else f"{len(hit):,} of {len(rows):,} rows"
        verb_first = reason.split(" ", 1)[0] in {"is", "must", "has", "matches", "belongs"}
        problem = f"it {reason}" if verb_first else reason
        return (
            f"Every row was rejected; fix {where} first: on {share} {problem} "
            f"(first on row {min(hit)})."
        )

    # Stakeholders: people in the register no file row matched, as (id, "Name (ID X)").
    missing: list[tuple[int, str]] = field(default_factory=list)
    # Header texts of columns the import does not use, and of read-only ones it ignores.
    unused_columns: list[str] = field(default_factory=list)
    read_only_columns: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({issue.row for issue in self.rejected})

    @property
    def deletes(self) -> list[tuple[int, str]]:
        """The people the commit would remove (``delete_missing``)."""
        return self.missing if self.options.delete_missing else []

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.updated or self.deletes)

    def missing_text(self) -> str:
        """ "not in the file: 3 people — they are kept" (or "… removed"); "" when none."""
        if not self.missing:
            return ""
        names = ", ".join(label for _, label in self.missing[:5])
        more = ", …" if len(self.missing) > 5 else ""
        fate = "they will be removed" if self.deletes else "they are kept"
        where = missing_label(len(self.rejected_rows))
        return f"{where}: {count_of(self.kind, len(self.missing))} ({names}{more}) — {fate}"

    @property
    def can_commit(self) -> bool:
        """Something to write, and either no rejected rows or the user chose to skip them."""
        return (
            self.has_changes
            and (not self.rejected or self.options.valid_rows_only)
            and not self.deletes_refused
        )

    @property
    def deletes_refused(self) -> str:
        """Why removing the people the file leaves out is refused ("" when it is not)."""
        if not self.deletes:
            return ""
        if self.rejected:
            return (
                "Some rows were rejected, and a rejected row may be one of the people who would "
                "be removed as missing from the file; nothing was imported. Correct the file first."
            )
        if not (self.updated or self.unchanged):
            return (
                f"No row of {self.source_name or 'the file'} matches anyone in the register, so "
                f"removing the people missing from it would remove all "
                f"{count_of(self.kind, len(self.deletes))}; nothing was imported. Is it the right "
                "file?"
            )
        return ""

    def summary(self) -> str:
        parts = [
            f"{len(self.new):,} new",
            f"{len(self.updated):,} updated",
            f"{len(self.unchanged):,} unchanged",
        ]
        if self.deletes:
            parts.append(f"{len(self.deletes):,} removed")
        rows = len(self.rejected_rows)
        parts.append(f"{rows:,} rejected row{'' if rows == 1 else 's'}")
        return ", ".join(parts)

    def describe(self) -> str:
        """The undo text: "import 312 people from staff.xlsx" (+ "update 4")."""
        bits = []
        if self.new:
            bits.append(f"import {count_of(self.kind, len(self.new))}")
        if self.updated:
            bits.append(f"update {count_of(self.kind, len(self.updated))}")
        if self.deletes:
            bits.append(f"remove {count_of(self.kind, len(self.deletes))}")
        text = " and ".join(bits) if bits else f"import {count_of(self.kind, 0)}"
        return f"{text} from {self.source_name}" if self.source_name else text


@dataclass
class PlanContext:
    """What a planner needs besides the rows: options, column names, where to put rejections."""

    kind: str
    options: ImportOptions
    mapped: frozenset[str]
    columns: Mapping[str, str]  # field → the file's header text
    rejected: list[RowIssue] = field(default_factory=list)
    letters: Mapping[str, str] = field(default_factory=dict)  # field → column letter
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> str:
        if name in self.columns:
            return self.columns[name]
        spec = field_specs(self.kind).get(name)
        return spec.label if spec else name.replace("_", " ").capitalize()

    def reject(self, row: int, name: str, value: object, reason: str) -> None:
        text = "" if value is None else show_value(value) if not isinstance(value, str) else value
        letter = self.letters.get(name, "")
        self.rejected.append(RowIssue(row, self.column(name), text, reason, name, letter))

    def keeps_blank(self) -> bool:
        return self.options.blank_keeps


@dataclass
class PlanParts:
    """A planner's result; :func:`importing.plan_import` adds the rest of the plan."""

    new: list[PlannedRow] = field(default_factory=list)
    updated: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    initiative_id: int | None = None
    initiative_name: str = ""
    duplicates: list[PossibleDuplicate] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)


def compare(
    old_row: Mapping[str, Any], new_values: Mapping[str, Any], labels: Mapping[str, str]
) -> tuple[FieldChange, ...]:
    """The fields whose new value differs from the stored one (blank text equals "")."""
    changes = []
    for column, new in new_values.items():
        old = old_row[column]
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        changes.append(FieldChange(column, labels[column], old, new))
    return tuple(changes)
