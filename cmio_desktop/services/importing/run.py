"""Import use cases: the dry run (:func:`plan_import`), the all-or-nothing commit, undo and redo.

* :func:`plan_import` reads the workspace in one short session and sorts the validated records
  into new / updated (field by field, old → new) / unchanged / rejected. Nothing is written.
* :func:`commit_import` writes a plan in **one transaction**: Core ``executemany`` inserts and
  updates plus the audit rows. By default nothing is written while any row is rejected; with
  ``ImportOptions(valid_rows_only=True)`` the good rows are written and the rejected skipped.
  Any failure rolls everything back and raises :class:`ServiceError` naming the file row.
  A plan made before a change that could alter it (to the rows it matched, to its table's
  rows, or to who the people are) is refused as stale; colleagues' other edits are not.
* The commit returns an :class:`ImportToken` (the rows created, with their ids, and the old
  and new values of the rows updated) that :func:`undo_import` and :func:`redo_import` use to
  take the import back and put it back exactly, ids included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.io.validation import ValidationResult
from cmio_desktop.models.base import utcnow
from cmio_desktop.services import crud
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.bulk import insert_rows
from cmio_desktop.services.changes import NOTHING, ChangeSet
from cmio_desktop.services.crud import public_values
from cmio_desktop.services.errors import ServiceError, describe_integrity_error
from cmio_desktop.services.importing.gc_pause import collector_paused
from cmio_desktop.services.importing.plan import (
    NEW,
    TABLES,
    UNCHANGED,
    UPDATED,
    FieldChange,
    ImportOptions,
    ImportPlan,
    PlanContext,
    PlannedRow,
    count_of,
)
from cmio_desktop.services.worked_on import refuse_changed, refuse_dependants
from cmio_desktop.store import Workspace

__all__ = [
    "NEW",
    "UNCHANGED",
    "UPDATED",
    "FieldChange",
    "ImportOptions",
    "ImportOutcome",
    "ImportPlan",
    "ImportRejectedError",
    "ImportToken",
    "PlannedRow",
    "StalePlanError",
    "commit_import",
    "plan_import",
    "redo_import",
    "undo_import",
]

CHUNK = 10_000  # rows per statement batch: progress, cancel and failure isolation
ID_CHUNK = 20_000  # ids per IN (...) list
Progress = Callable[[int, int], None]


class ImportRejectedError(ServiceError):
    """The plan has rejected rows and the user did not choose to skip them."""


class StalePlanError(ServiceError):
    """The workspace changed between the preview and the commit; plan again."""


class ImportCancelled(ServiceError):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was changed.")


@dataclass(frozen=True)
class ImportToken:
    """Enough to undo and redo one committed import exactly."""

    kind: str
    table: str
    description: str
    created: list[dict[str, Any]] = field(default_factory=list)  # full rows, ids included
    updated: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # of the created rows, for the audit trail
    deleted_ids: list[int] = field(default_factory=list)  # people removed (delete_missing)
    deleted: crud.DeletedSnapshot | None = None  # what their removal took, for undo

    @property
    def changes(self) -> ChangeSet:
        """What the import changed (and its undo changes back): its table's kind, or
        everything when it removed people (their ties, rounds… went with them)."""
        if self.deleted_ids:
            return ChangeSet.everything()
        ids = [row["id"] for row in self.created] + [i for i, _old, _new in self.updated]
        return ChangeSet.of_tables([self.table], ids=ids)


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int
    unchanged: int
    skipped_rows: int  # rejected rows left out (valid_rows_only)
    token: ImportToken
    deleted: int = 0  # people removed because the file did not list them (delete_missing)

    @property
    def description(self) -> str:
        return self.token.description

    @property
    def changes(self) -> ChangeSet:
        return self.token.changes if self.created or self.updated or self.deleted else NOTHING


@collector_paused
def plan_import(
    ws: Workspace,
    kind: str,
    validation: ValidationResult,
    *,
    options: ImportOptions | None = None,
    columns: Mapping[str, str] | None = None,
    source_name: str = "",
    letters: Mapping[str, str] | None = None,
) -> ImportPlan:
    """The dry run of importing ``validation.records`` of ``kind`` into ``ws``.

    ``columns`` maps field names to the file's header texts, for the rejection messages
    (default: the fields' own labels) and ``letters`` to their column letters. ``source_name``
    is shown in the undo text.
    """
    from cmio_desktop.services.importing.engagement import plan_engagement
    from cmio_desktop.services.importing.readiness import plan_assessments, plan_training
    from cmio_desktop.services.importing.relationships import plan_relationships
    from cmio_desktop.services.importing.stakeholders import plan_stakeholders

    planners = {
        "stakeholders": plan_stakeholders,
        "relationships": plan_relationships,
        "assessments": plan_assessments,
        "training": plan_training,
        "engagement": plan_engagement,
    }
    if kind not in planners:
        raise ServiceError(f"Unknown import kind “{kind}”.")
    if validation.kind != kind:
        raise ServiceError(f"These rows were checked as {validation.kind}, not {kind}.")
    options = options or ImportOptions()
    ctx = PlanContext(kind, options, validation.mapped_fields, dict(columns or {}))
    ctx.letters = dict(letters or {})
    with ws.read_session() as session:
        mark = _audit_mark(session)
        parts = planners[kind](session, validation.records, ctx)
    rejected = sorted([*validation.issues, *ctx.rejected], key=lambda i: (i.row, i.column))
    return ImportPlan(
        kind=kind,
        table=TABLES[kind],
        source_name=source_name,
        options=options,
        new=parts.new,
        updated=parts.updated,
        unchanged=parts.unchanged,
        rejected=rejected,
        data_rows=validation.data_rows,
        blank_rows=validation.blank_rows,
        notes=[*validation.notes, *ctx.notes],
        initiative_id=parts.initiative_id,
        initiative_name=parts.initiative_name,
        audit_mark=mark,
        duplicates=parts.duplicates,
        letters=dict(ctx.letters),
        missing=parts.missing,
    )


@collector_paused
def commit_import(
    ws: Workspace,
    plan: ImportPlan,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportOutcome:
    """Write ``plan`` in one transaction (see the module docstring)."""
    rejected_rows = len(plan.rejected_rows)
    if plan.rejected and not plan.options.valid_rows_only:
        raise ImportRejectedError(
            f"{rejected_rows:,} row{'s have' if rejected_rows != 1 else ' has'} problems, so "
            "nothing was imported. Correct the file, or choose to import the valid rows only."
        )
    check_deletes(plan)
    table: Table = m.Base.metadata.tables[plan.table]
    total = len(plan.new) + len(plan.updated) + len(plan.deletes)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None:
            progress(done, total)

    description = plan.describe()
    if not plan.has_changes:
        token = ImportToken(plan.kind, plan.table, description)
        return ImportOutcome(0, 0, len(plan.unchanged), rejected_rows, token)
    with ws.session() as session:
        if _stale(session, plan):
            raise StalePlanError(
                "The workspace changed after these changes were previewed; check the file "
                "again before importing."
            )
        # The summary audit row goes first: it takes the write lock before ids are counted.
        write_audit(
            session,
            [
                AuditEntry(
                    "import",
                    plan.table,
                    None,
                    plan.source_name or None,
                    None,
                    f"{plan.summary()} ({plan.kind})",
                )
            ],
        )
        created = _insert_planned(session, table, plan.new, step)
        updates = [
            (p.target_id, {c.column: c.old for c in p.changes}, dict(p.values or {}))
            for p in plan.updated
        ]
        _apply_values(session, table, [(i, new) for i, _, new in updates], plan.updated, step)
        # Each created row with its field values, as a create in the app is audited.
        entries = [
            AuditEntry("create", plan.table, row["id"], None, None, public_values(row))
            for row in created
        ]
        entries += [
            AuditEntry("update", plan.table, p.target_id, c.column, c.old, c.new)
            for p in plan.updated
            for c in p.changes
        ]
        write_audit(session, entries)
        deleted_ids = [ident for ident, _ in plan.deletes]
        snapshot = None
        if deleted_ids:
            snapshot = crud.delete_many_in(session, m.Stakeholder, deleted_ids, ID_CHUNK)
            step(len(deleted_ids))
    labels = [p.label for p in plan.new]
    token = ImportToken(
        plan.kind, plan.table, description, created, updates, labels, deleted_ids, snapshot
    )
    return ImportOutcome(
        len(created), len(updates), len(plan.unchanged), rejected_rows, token, len(deleted_ids)
    )


def check_deletes(plan: ImportPlan) -> None:
    """Refuse removing the people a file leaves out when that could remove the wrong people."""
    if plan.deletes_refused:
        raise ImportRejectedError(plan.deletes_refused)


def undo_import(ws: Workspace, token: ImportToken) -> ChangeSet:
    """Take a committed import back: remove the rows it created, restore the values it changed
    and put back the people it removed (with their ties, assessments…)."""
    table: Table = m.Base.metadata.tables[token.table]
    with ws.session() as session:
        ids = [row["id"] for row in token.created]
        _refuse_if_worked_on(session, table, token)
        for start in range(0, len(ids), ID_CHUNK):
            session.execute(delete(table).where(table.c.id.in_(ids[start : start + ID_CHUNK])))
        _apply_values(session, table, [(i, old) for i, old, _ in token.updated])
        entries = [
            AuditEntry("delete", token.table, row["id"], None, public_values(row), None)
            for row in token.created
        ]
        entries += [
            AuditEntry("update", token.table, i, column, new[column], value)
            for i, old, new in token.updated
            for column, value in old.items()
        ]
        if token.deleted is not None:
            crud.restore_in(session, token.deleted)
        entries.append(AuditEntry("undo", token.table, None, None, None, token.description))
        write_audit(session, entries)
    return token.changes


def redo_import(ws: Workspace, token: ImportToken) -> ChangeSet:
    """Apply an undone import again, with the same ids."""
    table: Table = m.Base.metadata.tables[token.table]
    with ws.session() as session:
        refuse_changed(session, table, [(i, old) for i, old, _ in token.updated], SINCE_IMPORT_UNDO)
        try:
            for start in range(0, len(token.created), CHUNK):
                insert_rows(session, table, token.created[start : start + CHUNK])
        except IntegrityError as exc:
            raise ServiceError(describe_integrity_error(exc, "imported row")) from None
        _apply_values(session, table, [(i, new) for i, _, new in token.updated])
        entries = [
            AuditEntry("create", token.table, row["id"], None, None, public_values(row))
            for row in token.created
        ]
        entries += [
            AuditEntry("update", token.table, i, column, old[column], value)
            for i, old, new in token.updated
            for column, value in new.items()
        ]
        if token.deleted_ids:
            crud.delete_many_in(session, m.Stakeholder, token.deleted_ids, ID_CHUNK)
        entries.append(AuditEntry("redo", token.table, None, None, None, token.description))
        write_audit(session, entries)
    return token.changes


# -- other people's work -----------------------------------------------------------------------

SINCE_IMPORT = "since the import; undo skipped, so that work is kept"
SINCE_IMPORT_UNDO = "since the import was undone; redo skipped"


def _refuse_if_worked_on(session: Session, table: Table, token: ImportToken) -> None:
    """Undoing an import must not take anyone's later work with it: refuse (ConflictError) if
    a row it created was edited since, or now has ties, assessments… hanging off it, or a
    row it updated holds other values than the import set."""
    created = [(row["id"], row) for row in token.created]
    refuse_changed(session, table, created, SINCE_IMPORT)
    refuse_changed(session, table, [(i, new) for i, _, new in token.updated], SINCE_IMPORT)
    refuse_dependants(
        session, table, [i for i, _ in created], "added by this import", "since the import"
    )


# -- writing ------------------------------------------------------------------------------------


def _insert_planned(
    session: Session, table: Table, planned: list[PlannedRow], step: Callable[[int], None]
) -> list[dict[str, Any]]:
    """Insert the new rows in batches; the rows come back with their ids.

    On SQLite the ids are given explicitly, counting on from the largest id, after the
    transaction holds the write lock (so no one else can insert meanwhile); this keeps the
    driver's fast ``executemany``. Elsewhere ``INSERT … RETURNING`` reports them. The ids are
    added to the planned rows' ``values`` (which the undo token keeps), not to copies.
    """
    if not planned:
        return []
    explicit = session.get_bind().dialect.name == "sqlite"
    first = 0
    if explicit:
        first = _highest_id_ever(session, table) + 1
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    created: list[dict[str, Any]] = []
    for start in range(0, len(planned), CHUNK):
        batch = planned[start : start + CHUNK]
        rows: list[dict[str, Any]] = [p.values for p in batch]  # type: ignore[misc]
        for i, row in enumerate(rows, start=first + start if explicit else 0):
            row.pop("id", None)  # a failed earlier attempt may have left one
            if explicit:
                row["id"] = i
        try:
            with session.begin_nested():
                if explicit:
                    insert_rows(session, table, rows)
                else:
                    result = session.execute(stmt, rows)
                    for row, ident in zip(rows, result.scalars().all(), strict=True):
                        row["id"] = ident
        except IntegrityError:
            _raise_for_culprit(session, table, batch)
        created.extend(rows)
        step(len(batch))
    return created


def _highest_id_ever(session: Session, table: Table) -> int:
    """The largest id the table has ever given out (AUTOINCREMENT keeps it in sqlite_sequence),
    so that explicit ids never reuse a deleted row's id."""
    highest = int(session.execute(select(func.max(table.c.id))).scalar() or 0)
    counter = session.connection().exec_driver_sql(
        "SELECT seq FROM sqlite_sequence WHERE name = ?", (table.name,)
    )
    return max(highest, int(counter.scalar() or 0))


def _apply_values(
    session: Session,
    table: Table,
    changes: list[tuple[int, dict[str, Any]]],
    planned: list[PlannedRow] | None = None,
    step: Callable[[int], None] | None = None,
) -> None:
    """Set column values by id: one executemany per distinct set of changed columns."""
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for position, (_ident, values) in enumerate(changes):
        groups[tuple(sorted(values))].append(position)
    stamp = {"updated_at": utcnow()} if "updated_at" in table.c else {}
    for columns, positions in groups.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({**{c: bindparam(f"b_{c}") for c in columns}, **stamp})
        )
        for start in range(0, len(positions), CHUNK):
            chunk = positions[start : start + CHUNK]
            params = [
                {"b_id": changes[p][0], **{f"b_{c}": changes[p][1][c] for c in columns}}
                for p in chunk
            ]
            try:
                with session.begin_nested():
                    session.execute(stmt, params)
            except IntegrityError as exc:
                if planned is None:
                    raise ServiceError(describe_integrity_error(exc, "imported row")) from None
                _raise_for_culprit(session, table, [planned[p] for p in chunk], stmt, params)
            if step is not None:
                step(len(chunk))


def _raise_for_culprit(
    session: Session,
    table: Table,
    batch: list[PlannedRow],
    stmt: Any = None,
    params: list[dict[str, Any]] | None = None,
) -> None:
    """Find the first row of a failed batch that the database refuses, and say which it is."""
    for position, planned in enumerate(batch):
        try:
            with session.begin_nested():
                if stmt is None:
                    session.execute(insert(table), [planned.values])
                else:
                    session.execute(stmt, [params[position]])  # type: ignore[index]
        except IntegrityError as exc:
            reason = describe_integrity_error(exc, table.name.replace("_", " "))
            raise ServiceError(
                f"Row {planned.row} ({planned.label}) could not be saved: {reason} "
                "Nothing was imported."
            ) from None
    raise ServiceError("The import could not be saved; nothing was imported.")


def _audit_mark(session: Session) -> int:
    return int(session.execute(select(func.max(m.AuditEvent.id))).scalar() or 0)


#: The person fields file rows are matched by: changing one can change what a row matches.
MATCHED_BY = frozenset({"name", "email", "external_id"})


def _stale(session: Session, plan: ImportPlan) -> bool:
    """Whether a change since the preview could alter what the plan does: a row it updates or
    found unchanged was edited, a row of its table was added or removed, or a person was added,
    removed or renamed (rows are matched by name, email and external id). Colleagues' other
    edits meanwhile (on a team workspace, there are many) leave the preview good."""
    matched = {r.target_id for r in (*plan.updated, *plan.unchanged) if r.target_id is not None}
    audit = m.AuditEvent
    since = session.execute(
        select(audit.entity, audit.entity_id, audit.action, audit.field).where(
            audit.id > plan.audit_mark
        )
    )
    for entity, ident, action, name in since:
        edit = action.rpartition(":")[2] == "update"  # undo and redo rows carry a mark
        if entity == plan.table and (not edit or ident in matched):
            return True
        if entity == "stakeholder" and (not edit or name in MATCHED_BY):
            return True
    return False


def closing_summary(plan: ImportPlan, outcome: ImportOutcome) -> str:
    """What a finished import did, for the wizard's last word and the status bar:
    "205 people imported, 3 updated, 12 need classification." (new people only are counted
    as needing classification: an import never unclassifies anyone)."""
    kind = outcome.token.kind
    parts = [f"{count_of(kind, outcome.created)} imported"]
    if outcome.updated:
        parts.append(f"{outcome.updated:,} updated")
    if outcome.skipped_rows:
        parts.append(f"{outcome.skipped_rows:,} rejected rows skipped")
    unclassified = plan.unclassified_rows if outcome.created else 0
    if unclassified:
        parts.append(f"{unclassified:,} need{'s' if unclassified == 1 else ''} classification")
    return ", ".join(parts) + "."
