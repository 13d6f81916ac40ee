"""Check the data rows of a :class:`~cmio_desktop.io.tabular.Table` against a column mapping.

Each ``validate_*`` function takes the table, the index (into ``table.rows``) of its header row
and a mapping (field → column index, from :func:`cmio_desktop.io.mapping.auto_map` or the
user), and returns a :class:`ValidationResult`: clean records for the rows without problems and
a :class:`RowIssue` for every problem, numbered as the user sees the row in Excel or the CSV
line. A row with any issue yields no record. Rows with nothing in any mapped column are skipped
and counted. An incomplete mapping raises :class:`MappingError` before any row is read.

Text is trimmed and otherwise kept as given (never evaluated). Blank optional cells give
``None``; a blank flag cell gives ``False``; a flag whose column is not mapped gives ``None``
(``ValidationResult.mapped_fields`` tells the importer which fields the file provides).

People in relationship, assessment and training files are :class:`PersonRef` values: the
identifier as text plus its kind. When a row has several identifier columns filled, the
first of ID, email, name, "any" is used; an "any" value that is a valid email address becomes
an email reference, otherwise it stays "any" (the importer tries external ID, then email, then
name).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any, Generic, TypeVar

from cmio_desktop.enums import EngagementType, Proficiency, TieKind
from cmio_desktop.io import read_values as rv
from cmio_desktop.io.classification import classify
from cmio_desktop.io.mapping import (
    column_label,
    custom_columns,
    field_specs,
    header_names,
    missing_required,
)
from cmio_desktop.io.tabular import CellValue, Table
from cmio_desktop.stakeholder_fields import BY_IMPORT_KEY
from cmio_desktop.stakeholder_fields import FIELDS as STAKEHOLDER_FIELDS

R = TypeVar("R")
DEFAULT_STRENGTH = 3


class MappingError(ValueError):
    """The mapping cannot be validated (a required field is not mapped, a bad column…)."""


@dataclass(frozen=True, slots=True)
class RowIssue:
    row: int  # the spreadsheet's own row number (CSV: line number)
    column: str  # the column's header text, or "Column C" if it has none
    value: str  # the cell as found ("" when empty)
    reason: str  # plain words, e.g. "must be from 1 to 5"
    field: str = ""  # the field name, for the UI
    # The spreadsheet column letter ("D") when the column is in the file; left out of
    # comparisons, as it says where, not what.
    letter: str = dataclass_field(default="", compare=False)

    def where(self) -> str:
        """ "row 7, column D (Work E-mail)" — as the user finds the cell in Excel."""
        if self.letter and self.column != f"Column {self.letter}":
            return f"row {self.row}, column {self.letter} ({self.column})"
        if self.letter:
            return f"row {self.row}, column {self.letter}"
        return f"row {self.row}, {self.column}"


@dataclass(frozen=True, slots=True)
class PersonRef:
    kind: str  # "external_id", "email", "name" or "any"
    value: str

    def key(self) -> tuple[str, str]:
        return self.kind, self.value.casefold()

    def same_person(self, other: PersonRef) -> bool:
        """Certainly the same person: same text and compatible identifier kinds."""
        compatible = self.kind == other.kind or "any" in (self.kind, other.kind)
        return compatible and self.value.casefold() == other.value.casefold()


class StakeholderRecord:
    """One valid stakeholder row: ``row`` (as the user numbers it) and a value for every
    registry field (:mod:`cmio_desktop.stakeholder_fields`), read by its import name
    (``record.email``, ``record.champion``); ``None`` where the file has no value (a flag whose
    column is not mapped is ``None``, a blank one ``False``).

    ``role_reason`` / ``group_reason`` say how role and group were decided when the file did
    not say them plainly ("" = read from the file): "from the title “Charge Nurse”", or why no
    value could be read. ``custom``: the "Custom: NAME" columns, name → value (``None`` for a
    blank cell); ``None`` without any.
    """

    __slots__ = ("row", "values", "role_reason", "group_reason", "custom")

    def __init__(
        self,
        row: int,
        name: str = "",
        *,
        role_reason: str = "",
        group_reason: str = "",
        custom: dict[str, CustomValue] | None = None,
        **values: Any,
    ) -> None:
        unknown = sorted(set(values) - set(BY_IMPORT_KEY))
        if unknown:
            raise TypeError(f"a stakeholder record has no field {', '.join(unknown)}")
        self.row = row
        self.values: dict[str, Any] = {key: values.get(key) for key in BY_IMPORT_KEY}
        self.values["name"] = name
        self.role_reason, self.group_reason, self.custom = role_reason, group_reason, custom

    @classmethod
    def _of(
        cls,
        row: int,
        values: dict[str, Any],
        role_reason: str,
        group_reason: str,
        custom: dict[str, CustomValue] | None,
    ) -> StakeholderRecord:
        """A record from a dict holding every key of ``BY_IMPORT_KEY`` (the validator's own
        fast path: the keys are not checked again)."""
        record = cls.__new__(cls)
        record.row, record.values = row, values
        record.role_reason, record.group_reason, record.custom = role_reason, group_reason, custom
        return record

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StakeholderRecord):
            return NotImplemented
        return (self.row, self.values, self.role_reason, self.group_reason, self.custom) == (
            other.row,
            other.values,
            other.role_reason,
            other.group_reason,
            other.custom,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        given = ", ".join(f"{k}={v!r}" for k, v in self.values.items() if v is not None)
        return f"StakeholderRecord(row={self.row}, {given})"


CustomValue = str | int | float | bool | None
CUSTOM_MAX = 4000


@dataclass(slots=True)
class RelationshipRecord:
    row: int
    source: PersonRef
    target: PersonRef
    strength: int = DEFAULT_STRENGTH
    kind: TieKind | None = None
    note: str | None = None


@dataclass(slots=True)
class AssessmentRecord:
    row: int
    person: PersonRef
    date: date
    awareness: int
    desire: int
    knowledge: int
    ability: int
    reinforcement: int
    assessor: str | None = None
    note: str | None = None
    date_defaulted: bool = False  # True when the file-wide default date was used


@dataclass(slots=True)
class TrainingRecord:
    row: int
    person: PersonRef
    course: str
    completed: date | None = None
    proficiency: Proficiency | None = None
    note: str | None = None


@dataclass(slots=True)
class EngagementRecord:
    row: int
    person: PersonRef
    occurred_on: date
    type: EngagementType | None = None
    our_side: str | None = None
    summary: str | None = None
    sentiment: int | None = None
    next_contact: date | None = None


@dataclass(slots=True)
class ValidationResult(Generic[R]):
    kind: str
    records: list[R] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    data_rows: int = 0  # rows examined below the header, blank ones excluded
    blank_rows: int = 0  # rows skipped because every mapped cell was empty
    mapped_fields: frozenset[str] = frozenset()
    notes: list[str] = field(default_factory=list)  # file-wide remarks, e.g. the date order

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({issue.row for issue in self.issues})


class _Row:
    """One data row being checked: typed access to mapped cells, issues recorded as found."""

    __slots__ = ("number", "cells", "ctx", "failed")

    def __init__(self, number: int, cells: list[CellValue], ctx: _Context) -> None:
        self.number, self.cells, self.ctx, self.failed = number, cells, ctx, False

    def raw(self, name: str) -> CellValue:
        column = self.ctx.mapping.get(name)
        if column is None or column >= len(self.cells):
            return None
        return self.cells[column]

    def problem(self, name: str, reason: str) -> None:
        self.failed = True
        column = self.ctx.mapping.get(name)
        header = self.ctx.headers[column] if column is not None else self.ctx.label(name)
        letter = column_label(column) if column is not None else ""
        self.ctx.issues.append(
            RowIssue(self.number, header, rv.display(self.raw(name)), reason, name, letter)
        )

    def parse(self, name: str, parser: Callable[[CellValue], object]) -> object:
        try:
            return parser(self.raw(name))
        except ValueError as error:
            self.problem(name, str(error))
            return None

    def text(self, name: str) -> str | None:
        return rv.to_text(self.raw(name))

    def score(self, name: str, required: bool = False) -> int | None:
        value = self.parse(name, rv.parse_score)
        if value is None and required and rv.is_blank(self.raw(name)):
            self.problem(name, "is required (a whole number from 1 to 5)")
        return value  # type: ignore[return-value]

    def enum(self, name: str) -> object:
        spec = self.ctx.specs[name]
        return self.parse(name, lambda v: rv.parse_enum(v, spec.enum))  # type: ignore[arg-type]

    def flag(self, name: str) -> bool | None:
        if name not in self.ctx.mapping:
            return None
        return bool(self.parse(name, rv.parse_flag))

    def email(self, name: str) -> str | None:
        text = self.text(name)
        if text is not None:
            try:
                rv.check_email(text)
            except ValueError as error:
                self.problem(name, str(error))
                return None
        return text

    def person(self, prefix: str, label: str) -> PersonRef | None:
        for suffix, kind in (
            ("_id", "external_id"),
            ("_email", "email"),
            ("_name", "name"),
            ("", "any"),
        ):
            name = prefix + suffix
            text = self.text(name) if name in self.ctx.mapping else None
            if text is None:
                continue
            if kind == "email" and self.email(name) is None:
                return None
            if kind == "any" and rv.looks_like_email(text):
                kind = "email"
            return PersonRef(kind, text)
        mapped = [
            prefix + s for s in ("_id", "_email", "_name", "") if prefix + s in self.ctx.mapping
        ]
        self.problem(mapped[0], f"{label} is required (an ID, email or name)")
        return None

    def duplicate(self, name: str, key: object, seen: dict[object, int], what: str) -> None:
        first = seen.setdefault(key, self.number)
        if first != self.number:
            self.problem(name, f"{what} also on row {first}")


@dataclass(slots=True)
class _Context:
    kind: str
    mapping: Mapping[str, int]
    headers: list[str]
    specs: dict
    issues: list[RowIssue]

    def label(self, name: str) -> str:
        spec = self.specs.get(name)
        return spec.label if spec else name


def _run(
    table: Table,
    header_row_index: int,
    mapping: Mapping[str, int],
    kind: str,
    check_row: Callable[[_Row], R | None],
) -> ValidationResult[R]:
    """Validate every data row below the header with ``check_row``."""
    specs = field_specs(kind)
    unknown = sorted(set(mapping) - set(specs))
    if unknown:
        raise MappingError(f"unknown {kind} field(s): {', '.join(unknown)}")
    if any(not isinstance(c, int) or c < 0 for c in mapping.values()):
        raise MappingError("column indexes must be whole numbers, 0 or more")
    missing = missing_required(mapping, kind)
    if missing:
        raise MappingError("Choose a column for: " + "; ".join(missing))
    if not 0 <= header_row_index < max(len(table.rows), 1):
        raise MappingError(f"header row index {header_row_index} is outside the table")
    header = table.rows[header_row_index] if table.rows else []
    width = max(mapping.values(), default=-1) + 1
    result: ValidationResult[R] = ValidationResult(kind, mapped_fields=frozenset(mapping))
    ctx = _Context(kind, mapping, header_names(header, width), specs, result.issues)
    columns = sorted(set(mapping.values()))
    for cells, number in zip(
        table.rows[header_row_index + 1 :], table.row_numbers[header_row_index + 1 :], strict=True
    ):
        if all(rv.is_blank(cells[c]) for c in columns if c < len(cells)):
            result.blank_rows += 1
            continue
        result.data_rows += 1
        row = _Row(number, cells, ctx)
        record = check_row(row)
        if record is not None and not row.failed:
            result.records.append(record)
    return result


def validate_stakeholders(
    table: Table, header_row_index: int, mapping: Mapping[str, int]
) -> ValidationResult[StakeholderRecord]:
    """Rules: a name (or first + last name); valid email; power (rated)/interest 1–5; attitudes
    from their list; external ID and email each unique within the file. Role and group are
    never a reason to reject: a cell that is not on the list, or a blank one, is inferred from
    the job title (:mod:`.classification`), and what cannot be inferred stays ``None`` with the
    reason in ``role_reason`` / ``group_reason`` (the importer stores it as unclassified)."""
    seen_ids: dict[object, int] = {}
    seen_emails: dict[object, int] = {}
    header = table.rows[header_row_index] if 0 <= header_row_index < len(table.rows) else []
    custom = custom_columns(header)
    readers = _stakeholder_readers(mapping)

    def check(row: _Row) -> StakeholderRecord | None:
        name = row.text("name")
        if name is None:
            name = " ".join(p for p in (row.text("first_name"), row.text("last_name")) if p)
        if not name:
            row.problem("name" if "name" in row.ctx.mapping else "first_name", "a name is required")
        external_id = row.text("external_id")
        if external_id is not None:
            row.duplicate("external_id", external_id.casefold(), seen_ids, "the same ID is")
        email = row.email("email")
        if email is not None:
            row.duplicate("email", email.casefold(), seen_emails, "the same email is")
        values: dict[str, Any] = {"external_id": external_id, "email": email}
        cells = row.cells
        width = len(cells)
        for key, column, read in readers:
            values[key] = read(row, key, cells[column] if column < width else None)
        classified = classify(
            values["role"], values["group"], values["title"], values["department"]
        )
        values["role"], values["group"] = classified.role, classified.group
        values["name"] = name or ""
        return StakeholderRecord._of(
            row.number,
            values,
            classified.role_reason,
            classified.group_reason,
            _custom_values(row, custom, header) if custom else None,
        )

    return _run(table, header_row_index, mapping, "stakeholders", check)


_UNMAPPED = 1 << 30  # a column index beyond any row: the cell reads as blank
Reader = Callable[["_Row", str, CellValue], Any]


def _stakeholder_readers(mapping: Mapping[str, int]) -> list[tuple[str, int, Reader]]:
    """(record key, column, reader) for every registry field but the name, ID and email.

    Scores, lists and flags repeat a handful of values down a column, so each field keeps the
    outcome per distinct cell (value and type: ``1``, ``1.0`` and ``True`` read differently):
    a parse, or the reason it failed, which is still reported on every row that has it. Role
    and group are read as text: they are classified with the title, never rejected.
    """
    readers: list[tuple[str, int, Reader]] = []
    for spec in STAKEHOLDER_FIELDS:
        key = spec.import_key
        if key in ("name", "external_id", "email"):
            continue
        column = mapping.get(key, _UNMAPPED)
        if spec.kind == "text" or (spec.kind == "enum" and key in ("role", "group")):
            readers.append((key, column, _read_text))
        elif spec.kind == "email":
            readers.append((key, column, _read_email))
        elif spec.kind == "flag" and key not in mapping:
            readers.append((key, column, _read_nothing))
        elif spec.kind == "flag":
            readers.append((key, column, _Memo(rv.parse_flag, bool).read))
        elif spec.kind == "score":
            readers.append((key, column, _Memo(rv.parse_score).read))
        else:
            enum = spec.enum
            readers.append((key, column, _Memo(lambda v, e=enum: rv.parse_enum(v, e)).read))
    return readers


def _read_text(_row: _Row, _key: str, cell: CellValue) -> str | None:
    if cell.__class__ is str:
        return cell.strip() or None  # type: ignore[union-attr]
    return rv.to_text(cell)


def _read_email(row: _Row, key: str, _cell: CellValue) -> str | None:
    return row.email(key)


def _read_nothing(_row: _Row, _key: str, _cell: CellValue) -> None:
    return None


class _Memo:
    """A cell parser remembered per distinct cell; failures are reported on each row."""

    __slots__ = ("parse", "then", "seen")

    def __init__(self, parse: Callable[[CellValue], Any], then: Callable[[Any], Any] | None = None):
        self.parse, self.then = parse, then
        self.seen: dict[tuple[type, CellValue], tuple[Any, str | None]] = {}

    def read(self, row: _Row, key: str, cell: CellValue) -> Any:
        token = (cell.__class__, cell)
        outcome = self.seen.get(token)
        if outcome is None:
            try:
                value, error = self.parse(cell), None
            except ValueError as exc:
                value, error = None, str(exc)
            if self.then is not None:
                value = self.then(value)
            outcome = self.seen[token] = (value, error)
        if outcome[1] is not None:
            row.problem(key, outcome[1])
        return outcome[0]


def _custom_values(
    row: _Row, columns: dict[int, str], header: list[CellValue]
) -> dict[str, CustomValue]:
    """The row's "Custom: NAME" cells: text trimmed, numbers and yes/no kept, dates as ISO."""
    values: dict[str, CustomValue] = {}
    for column, name in columns.items():
        cell = row.cells[column] if column < len(row.cells) else None
        value: CustomValue
        if isinstance(cell, bool | int):
            value = cell
        elif isinstance(cell, float):
            value = int(cell) if cell.is_integer() else cell
        else:
            value = rv.to_text(cell)
        if isinstance(value, str) and len(value) > CUSTOM_MAX:
            row.failed = True
            row.ctx.issues.append(
                RowIssue(
                    row.number,
                    str(header[column]).strip(),
                    value[:60] + "…",
                    f"is too long ({len(value):,} characters; at most {CUSTOM_MAX:,})",
                    "custom",
                )
            )
            continue
        values[name] = value
    return values


def validate_relationships(
    table: Table, header_row_index: int, mapping: Mapping[str, int]
) -> ValidationResult[RelationshipRecord]:
    """Rules: a source and a target; not the same person; strength 1–5 (blank: 3); kind from
    the list; one tie per source → target pair (same identifiers) within the file."""
    seen: dict[object, int] = {}

    def check(row: _Row) -> RelationshipRecord | None:
        source = row.person("source", "the source")
        target = row.person("target", "the target")
        strength = row.score("strength")
        kind = row.enum("kind")
        if source is None or target is None:
            return None
        target_field = next(
            f
            for f in ("target_id", "target_email", "target_name", "target")
            if f in row.ctx.mapping and row.text(f)
        )
        if source.same_person(target):
            row.problem(target_field, "a person cannot influence themselves")
        else:
            row.duplicate(
                target_field,
                (source.key(), target.key()),
                seen,
                "a tie with the same source and target is",
            )
        return RelationshipRecord(
            row.number,
            source,
            target,
            DEFAULT_STRENGTH if strength is None else strength,
            kind,
            row.text("note"),
        )  # type: ignore[arg-type]

    return _run(table, header_row_index, mapping, "relationships", check)


def validate_assessments(
    table: Table,
    header_row_index: int,
    mapping: Mapping[str, int],
    *,
    today: date | None = None,
    default_date: date | None = None,
    date_order: rv.DateOrder = "dmy",
) -> ValidationResult[AssessmentRecord]:
    """Rules: a person; all five ADKAR scores 1–5; a date not after ``today``, from the date
    column or, when it is unmapped or blank, ``default_date``; one assessment per person per
    date within the file. Text dates follow :func:`read_values.infer_date_order` on the column,
    falling back to ``date_order``."""
    today = date.today() if today is None else today
    if "date" not in mapping and default_date is None:
        raise MappingError("Choose a column for: Date (or give one date for the whole file)")
    if default_date is not None and default_date > today:
        raise MappingError(f"the date for the whole file ({default_date}) is in the future")
    order, notes = _date_order(table, header_row_index, mapping.get("date"), date_order)
    seen: dict[object, int] = {}

    def check(row: _Row) -> AssessmentRecord | None:
        person = row.person("person", "the person")
        scores = [
            row.score(name, required=True)
            for name in ("awareness", "desire", "knowledge", "ability", "reinforcement")
        ]
        when, defaulted = _row_date(row, "date", order, today, default_date)
        if person is None or when is None or None in scores:
            return None
        row.duplicate(
            "date" if "date" in row.ctx.mapping else "person",
            (person.key(), when),
            seen,
            "an assessment of this person on this date is",
        )
        a, d, k, ab, r = scores
        return AssessmentRecord(
            row.number,
            person,
            when,
            a,
            d,
            k,
            ab,
            r,  # type: ignore[arg-type]
            row.text("assessor"),
            row.text("note"),
            defaulted,
        )

    result = _run(table, header_row_index, mapping, "assessments", check)
    result.notes.extend(notes)
    return result


def validate_training(
    table: Table,
    header_row_index: int,
    mapping: Mapping[str, int],
    *,
    today: date | None = None,
    date_order: rv.DateOrder = "dmy",
) -> ValidationResult[TrainingRecord]:
    """Rules: a person and a course; completion date (optional) not after ``today``;
    proficiency from the list."""
    today = date.today() if today is None else today
    order, notes = _date_order(table, header_row_index, mapping.get("completed"), date_order)

    def check(row: _Row) -> TrainingRecord | None:
        person = row.person("person", "the person")
        course = row.text("course")
        if course is None:
            row.problem("course", "a course is required")
        completed, _ = _row_date(row, "completed", order, today, None, required=False)
        proficiency = row.enum("proficiency")
        if person is None or course is None:
            return None
        return TrainingRecord(row.number, person, course, completed, proficiency, row.text("note"))  # type: ignore[arg-type]

    result = _run(table, header_row_index, mapping, "training", check)
    result.notes.extend(notes)
    return result


def validate_engagement(
    table: Table,
    header_row_index: int,
    mapping: Mapping[str, int],
    *,
    today: date | None = None,
    date_order: rv.DateOrder = "dmy",
) -> ValidationResult[EngagementRecord]:
    """Rules: a person and a contact date not after ``today``; the kind of contact from the
    list; sentiment a whole number from −2 to +2; a next contact not before the contact."""
    today = date.today() if today is None else today
    order, notes = _date_order(table, header_row_index, mapping.get("date"), date_order)

    def check(row: _Row) -> EngagementRecord | None:
        person = row.person("person", "the person")
        when, _ = _row_date(row, "date", order, today, None)
        kind = row.enum("type")
        sentiment = row.parse("sentiment", lambda v: rv.parse_whole_number(v, -2, 2))
        nxt = (
            row.parse("next_contact", lambda v: rv.parse_date(v, order))
            if "next_contact" in row.ctx.mapping
            else None
        )
        if nxt is not None and when is not None and nxt < when:  # type: ignore[operator]
            row.problem("next_contact", "is before the contact itself")
            return None
        if person is None or when is None:
            return None
        return EngagementRecord(
            row.number, person, when, kind, row.text("our_side"),  # type: ignore[arg-type]
            row.text("summary"), sentiment, nxt,  # type: ignore[arg-type]
        )  # fmt: skip

    result = _run(table, header_row_index, mapping, "engagement", check)
    result.notes.extend(notes)
    return result


def _date_order(
    table: Table, header_row_index: int, column: int | None, default: rv.DateOrder
) -> tuple[rv.DateOrder, list[str]]:
    if column is None:
        return default, []
    values = (r[column] for r in table.rows[header_row_index + 1 :] if column < len(r))
    inferred = rv.infer_date_order(values)
    order = inferred or default
    words = {"dmy": "day/month/year", "mdy": "month/day/year"}[order]
    why = "as the column's unambiguous dates show" if inferred else "by default"
    return order, [f"Dates written as text like 03/04/2025 are read as {words} ({why})."]


def _row_date(
    row: _Row,
    name: str,
    order: rv.DateOrder,
    today: date,
    default: date | None,
    required: bool = True,
) -> tuple[date | None, bool]:
    when = row.parse(name, lambda v: rv.parse_date(v, order)) if name in row.ctx.mapping else None
    if when is None:
        if not rv.is_blank(row.raw(name)):
            return None, False  # unreadable: already reported
        if default is not None:
            return default, True
        if required:
            row.problem(name, "a date is required")
        return None, False
    if when > today:  # type: ignore[operator]
        row.problem(name, f"is in the future (today is {today.isoformat()})")
        return None, False
    return when, False  # type: ignore[return-value]
