"""The import steps end to end, shared by the wizard, the CLI and the benchmark.

read (:func:`read_source`: the sheet, its detected header row and the automatic column mapping)
→ check (:func:`validate_source`) → dry run (:func:`importing.plan_import`) → commit.
The wizard runs these one by one, letting the user change the header row and the mapping in
between; :func:`prepare_import` runs the first three with the automatic choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cmio_desktop.io.mapping import (
    column_label,
    custom_columns,
    detect_header_row,
    explain_map,
    field_specs,
    header_names,
    is_read_only_header,
    missing_required,
    normalise_header,
)
from cmio_desktop.io.tabular import Table, read_table
from cmio_desktop.io.validation import (
    MappingError,
    ValidationResult,
    validate_assessments,
    validate_engagement,
    validate_relationships,
    validate_stakeholders,
    validate_training,
)
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.importing.gc_pause import collector_paused
from cmio_desktop.services.importing.plan import ImportOptions, ImportPlan
from cmio_desktop.services.importing.run import plan_import
from cmio_desktop.store import Workspace


class ImportSourceError(ServiceError):
    """The file can be read but not imported as it is (no data, a required column missing)."""


@dataclass
class ImportSource:
    """A sheet ready to check: the rows, which one is the header, and which column is what."""

    path: Path
    kind: str
    table: Table
    header_index: int = 0  # index into table.rows
    mapping: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)  # field → why its column was chosen

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def header_row_number(self) -> int:
        """The header's row number as the spreadsheet shows it."""
        return self.table.row_numbers[self.header_index] if self.table.rows else 1

    @property
    def headers(self) -> list[str]:
        header = self.table.rows[self.header_index] if self.table.rows else []
        return header_names(header, self.table.width)

    @property
    def data_rows(self) -> int:
        return max(0, len(self.table.rows) - self.header_index - 1)

    def columns(self) -> dict[str, str]:
        """Field → the header text of its column, for messages."""
        headers = self.headers
        return {f: headers[c] for f, c in self.mapping.items() if c < len(headers)}

    def letters(self) -> dict[str, str]:
        """Field → the spreadsheet letter of its column, for messages."""
        return {f: column_label(c) for f, c in self.mapping.items()}

    def set_header_index(self, index: int) -> None:
        """Use another row as the header, and map its columns afresh."""
        if not 0 <= index < max(len(self.table.rows), 1):
            raise ValueError(f"header row index {index} is outside the table")
        self.header_index = index
        header = self.table.rows[index] if self.table.rows else []
        explained = explain_map(header, self.kind)
        self.mapping = {name: column for name, (column, _) in explained.items()}
        self.reasons = {name: why for name, (_, why) in explained.items()}

    def choose(self, name: str, column: int | None) -> None:
        """The user's choice of column for a field (``None``: not in the file)."""
        if column is None:
            self.mapping.pop(name, None)
            self.reasons.pop(name, None)
        else:
            self.mapping[name] = column
            self.reasons[name] = "chosen by you"

    def apply_map(self, pairs: list[str]) -> None:
        """Apply ``FIELD=HEADER`` choices (``cmio import --map``); ``FIELD=`` unmaps a field.

        FIELD is a field's name or label ("email", "External ID"); HEADER a column's heading
        as in the file (case and spacing aside) or its letter ("D").
        """
        specs = field_specs(self.kind)
        by_name = {normalise_header(n): n for n in specs}
        by_name.update({normalise_header(s.label): n for n, s in specs.items()})
        if "power" in specs:  # the field's name before "Power (rated)"; scripts may use it
            by_name.setdefault("influence", "power")
        headers = self.headers
        for pair in pairs:
            wanted, equals, heading = pair.partition("=")
            name = by_name.get(normalise_header(wanted))
            if not equals or name is None:
                known = ", ".join(specs)
                raise ImportSourceError(
                    f"--map “{pair}”: expected FIELD=HEADER with FIELD one of {known}."
                )
            heading = heading.strip()
            if not heading:
                self.choose(name, None)
                continue
            column = _find_column(headers, heading)
            if column is None:
                raise ImportSourceError(
                    f"--map “{pair}”: “{self.name}” has no column headed “{heading}” on row "
                    f"{self.header_row_number}. Columns found: {', '.join(headers) or 'none'}."
                )
            for other, used in list(self.mapping.items()):
                if used == column and other != name:
                    self.choose(other, None)  # one column feeds one field
            self.choose(name, column)
            self.reasons[name] = f"chosen with --map {name}={heading}"

    def missing(self) -> list[str]:
        return missing_required(self.mapping, self.kind)

    def unused_columns(self) -> tuple[list[str], list[str]]:
        """Headed columns the import will not read: (unused, read-only ones it ignores).

        A column is read when it is mapped to a field or is a "Custom: NAME" column.
        """
        header = self.table.rows[self.header_index] if self.table.rows else []
        used = set(self.mapping.values()) | set(custom_columns(header, self.kind))
        unused: list[str] = []
        read_only: list[str] = []
        for column, cell in enumerate(header):
            text = "" if cell is None else str(cell).strip()
            if text and column not in used:
                (read_only if is_read_only_header(text) else unused).append(text)
        return unused, read_only


def _find_column(headers: list[str], heading: str) -> int | None:
    key = " ".join(heading.split()).casefold()
    for column, text in enumerate(headers):
        if " ".join(text.split()).casefold() == key:
            return column
    if heading.isalpha() and len(heading) <= 3:
        for column in range(len(headers)):
            if column_label(column) == heading.upper():
                return column
    return None


@collector_paused
def read_source(
    path: str | Path,
    kind: str,
    *,
    sheet: str | None = None,
    max_rows: int | None = None,
    column_map: list[str] | None = None,
) -> ImportSource:
    """Read a sheet, detect its header row and map its columns automatically, then apply the
    ``FIELD=HEADER`` choices of ``column_map`` (see :meth:`ImportSource.apply_map`).

    Raises :class:`~cmio_desktop.io.tabular.ImportFileError` for files that cannot be read.
    """
    path = Path(path)
    table = read_table(path, sheet, max_rows)
    index = detect_header_row(table.rows, kind) if table.rows else 0
    source = ImportSource(path, kind, table)
    source.set_header_index(index)
    if column_map:
        source.apply_map(column_map)
    return source


def check_source(source: ImportSource) -> None:
    """Raise :class:`ImportSourceError` when there is nothing to import or a column is missing."""
    where = f"“{source.name}”" + (f" (sheet “{source.table.sheet}”)" if source.table.sheet else "")
    if not source.table.rows:
        raise ImportSourceError(f"{where} has no data: every row is empty.")
    if source.data_rows == 0:
        raise ImportSourceError(
            f"{where} has no rows of data below the header (row {source.header_row_number})."
        )
    missing = source.missing()
    if missing:
        found = ", ".join(h for h in source.headers if h) or "none"
        raise ImportSourceError(
            f"{where} has no column for: {'; '.join(missing)}. Columns found: {found}."
        )


@collector_paused
def validate_source(
    source: ImportSource, *, default_date: date | None = None, today: date | None = None
) -> ValidationResult:
    """Check every data row; raises :class:`ImportSourceError` if the mapping is incomplete."""
    check_source(source)
    table, header, mapping = source.table, source.header_index, source.mapping
    try:
        if source.kind == "stakeholders":
            return validate_stakeholders(table, header, mapping)
        if source.kind == "relationships":
            return validate_relationships(table, header, mapping)
        if source.kind == "assessments":
            return validate_assessments(
                table, header, mapping, today=today, default_date=default_date
            )
        if source.kind == "training":
            return validate_training(table, header, mapping, today=today)
        if source.kind == "engagement":
            return validate_engagement(table, header, mapping, today=today)
    except MappingError as error:
        raise ImportSourceError(f"“{source.name}”: {error}.") from None
    raise ImportSourceError(f"Unknown import kind “{source.kind}”.")


@collector_paused
def plan_source(
    ws: Workspace,
    source: ImportSource,
    validation: ValidationResult,
    options: ImportOptions | None = None,
) -> ImportPlan:
    plan = plan_import(
        ws,
        source.kind,
        validation,
        options=options,
        columns=source.columns(),
        source_name=source.name,
        letters=source.letters(),
    )
    plan.unused_columns, plan.read_only_columns = source.unused_columns()
    return plan


def prepare_import(
    ws: Workspace,
    path: str | Path,
    kind: str,
    *,
    sheet: str | None = None,
    options: ImportOptions | None = None,
    default_date: date | None = None,
    today: date | None = None,
    column_map: list[str] | None = None,
) -> tuple[ImportSource, ValidationResult, ImportPlan]:
    """Read, check and plan with the automatic header row and mapping (and ``column_map``)."""
    source = read_source(path, kind, sheet=sheet, column_map=column_map)
    validation = validate_source(source, default_date=default_date, today=today)
    return source, validation, plan_source(ws, source, validation, options)
