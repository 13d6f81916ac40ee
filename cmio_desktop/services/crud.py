"""Create, read, update and delete for every entity: one transaction and an audit trail each.

Results are frozen dataclasses generated from each entity's columns, so callers never hold ORM
rows across events. Deletes return a snapshot of everything the database removed with the row
(cascades) so that undo can restore it exactly, ids included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, make_dataclass
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import Enum as SAEnum
from sqlalchemy import Table, delete, insert, inspect, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.changes import ChangeSet, kind_of_table
from cmio_desktop.services.conflicts import (
    SINCE_EDIT,
    VERSION,
    check_unchanged,
    check_versions,
    current_guard,
    current_shown_versions,
    row_label,
)
from cmio_desktop.services.errors import NotFoundError, ServiceError, describe_integrity_error
from cmio_desktop.store import Workspace

ENTITIES: dict[str, type[m.Base]] = {
    cls.__tablename__: cls
    for cls in (
        m.Organisation,
        m.Initiative,
        m.Phase,
        m.Milestone,
        m.Stakeholder,
        m.Relationship,
        m.Assessment,
        m.Activity,
        m.ActivityAudience,
        m.Communication,
        m.TrainingCourse,
        m.TrainingCompletion,
        m.Risk,
        m.RiskStakeholder,
        m.Decision,
        m.Request,
        m.GoLiveCriterion,
    )
}


@cache
def record_type(entity: type[m.Base]) -> type:
    """The plain frozen dataclass that carries one row of ``entity``; its ``changes`` says
    what writing that row changed (a created or updated record is a write's result)."""
    names = [attr.key for attr in inspect(entity).column_attrs]
    kind = kind_of_table(str(entity.__tablename__))

    def changes(record: Any) -> ChangeSet:
        ident = getattr(record, "id", None)
        return ChangeSet.of(kind, ids=[ident] if isinstance(ident, int) else [])

    return make_dataclass(
        f"{entity.__name__}Record",
        [(n, Any) for n in names],
        frozen=True,
        namespace={"changes": property(changes)},
    )


def to_record(obj: m.Base) -> Any:
    cls = record_type(type(obj))
    return cls(**{attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs})


def coerce(entity: type[m.Base], values: dict[str, Any]) -> dict[str, Any]:
    """Check field names and turn enum texts into members, with a readable error."""
    attrs = {a.key: a for a in inspect(entity).column_attrs}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in attrs:
            raise ServiceError(f"{entity.__name__} has no field '{key}'.")
        col_type = attrs[key].columns[0].type
        if isinstance(col_type, SAEnum) and value is not None and not isinstance(value, Enum):
            enum_cls = col_type.enum_class
            try:
                value = enum_cls.from_text(str(value))  # type: ignore[union-attr]
            except ValueError as exc:
                raise ServiceError(f"{key.replace('_', ' ').capitalize()}: {exc}.") from None
        elif isinstance(value, str) and not isinstance(value, Enum):
            value = value.strip()
        out[key] = value
    return out


def _label(entity: type[m.Base]) -> str:
    return str(entity.__tablename__).replace("_", " ")


def _flush(session: Session, entity: type[m.Base]) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise ServiceError(describe_integrity_error(exc, _label(entity))) from None


def _load(session: Session, entity: type[m.Base], ident: Any) -> m.Base:
    obj = session.get(entity, ident)
    if obj is None:
        raise NotFoundError(f"That {_label(entity)} no longer exists (id {ident}).")
    return obj


def _who(session: Session, obj: Any, entity: type[m.Base], ident: Any) -> str:
    """The row as a user knows it: a person's name, "the tie A → B", "the round of A"."""

    def name(person_id: Any) -> str:
        person = session.get(m.Stakeholder, person_id)
        return person.name if person is not None else f"person {person_id}"

    if isinstance(obj, m.Relationship):
        return f"the tie {name(obj.source_id)} → {name(obj.target_id)}"
    if isinstance(obj, m.Assessment):
        return f"the readiness round of {name(obj.stakeholder_id)} on {obj.assessed_on}"
    return row_label(obj, _label(entity), ident)


def _pk(obj: m.Base) -> int | None:
    ident = inspect(obj).identity
    return ident[0] if ident and len(ident) == 1 else None


def create(ws: Workspace, entity: type[m.Base], **values: Any) -> Any:
    with ws.session() as session:
        return create_in(session, entity, **values)


def create_in(session: Session, entity: type[m.Base], **values: Any) -> Any:
    obj = entity(**coerce(entity, values))
    session.add(obj)
    _flush(session, entity)
    record = to_record(obj)
    write_audit(
        session, [AuditEntry("create", entity.__tablename__, _pk(obj), None, None, _public(record))]
    )
    return record


def get(ws: Workspace, entity: type[m.Base], ident: Any) -> Any:
    with ws.read_session() as session:
        return to_record(_load(session, entity, ident))


def list_all(ws: Workspace, entity: type[m.Base], **equals: Any) -> list[Any]:
    with ws.read_session() as session:
        stmt = select(entity).filter_by(**coerce(entity, equals))
        pk = inspect(entity).primary_key
        return [to_record(o) for o in session.scalars(stmt.order_by(*pk))]


def update(
    ws: Workspace,
    entity: type[m.Base],
    ident: Any,
    *,
    expected: Mapping[str, Any] | None = None,
    since: str = SINCE_EDIT,
    **changes: Any,
) -> Any:
    with ws.session() as session:
        return update_in(session, entity, ident, expected=expected, since=since, **changes)


def update_in(
    session: Session,
    entity: type[m.Base],
    ident: Any,
    *,
    expected: Mapping[str, Any] | None = None,
    since: str = SINCE_EDIT,
    **changes: Any,
) -> Any:
    """Change fields of one row (audited). With ``expected``, first check that those fields
    still hold those values (nobody else changed them), else refuse with ConflictError."""
    obj = _load(session, entity, ident)
    guard = current_guard()
    if expected is None and guard is not None and guard.expected:
        # The row version shown rides along: unmoved, the check passes at once.
        expected = {k: v for k, v in guard.expected.items() if k in changes or k == VERSION}
        since = guard.since
    if expected:
        wanted = coerce(entity, dict(expected))
        current = {key: getattr(obj, key) for key in wanted}
        who = _who(session, obj, entity, ident)
        check_unchanged(session, entity.__tablename__, _pk(obj), current, wanted, who, since)
    entries = []
    for key, value in coerce(entity, changes).items():
        old = getattr(obj, key)
        if old != value:
            setattr(obj, key, value)
            entries.append(AuditEntry("update", entity.__tablename__, _pk(obj), key, old, value))
    _flush(session, entity)
    write_audit(session, entries)
    if guard is not None:
        guard.written.update({key: getattr(obj, key) for key in changes})
    return to_record(obj)


@dataclass(frozen=True)
class DeletedSnapshot:
    """Rows removed by a delete, parents first, plus foreign keys the delete set to NULL."""

    rows: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    nulled: list[tuple[str, str, list[tuple[Any, Any]]]] = field(default_factory=list)
    seen: dict[str, set[tuple[Any, ...]]] = field(default_factory=dict, repr=False)

    def count(self, table: str) -> int:
        return sum(len(rows) for name, rows in self.rows if name == table)

    @property
    def changes(self) -> ChangeSet:
        """What the delete changed (and its restore changes back): every table it touched,
        and the ids of the rows it was asked to delete."""
        tables = [name for name, rows in self.rows if rows] + [n for n, _c, _p in self.nulled]
        first = self.rows[0][1] if self.rows else []
        return ChangeSet.of_tables(tables, ids=[r["id"] for r in first if "id" in r])


def delete_rows(ws: Workspace, entity: type[m.Base], idents: list[Any]) -> DeletedSnapshot:
    with ws.session() as session:
        return delete_rows_in(session, entity, idents)


def delete_rows_in(session: Session, entity: type[m.Base], idents: list[Any]) -> DeletedSnapshot:
    """Delete rows and what hangs off them; first, when the caller runs under
    ``conflicts.shown_versions``, refuse if any of them changed since it was shown."""
    table: Table = entity.__table__  # type: ignore[assignment]
    pk_col = next(iter(table.primary_key.columns))
    shown = current_shown_versions()
    if shown:
        label = lambda ident: _who(session, session.get(entity, ident), entity, ident)  # noqa: E731
        check_versions(session, table, {i: shown[i] for i in idents if i in shown}, label=label)
    snapshot = DeletedSnapshot()
    _collect(session, table, pk_col.in_(idents), snapshot)
    if not snapshot.rows or not snapshot.rows[0][1]:
        raise NotFoundError(f"That {_label(entity)} no longer exists.")
    session.execute(delete(table).where(pk_col.in_(idents)))
    write_audit(session, _snapshot_entries(snapshot, "delete"))
    return snapshot


def delete_many_in(
    session: Session, entity: type[m.Base], idents: list[Any], chunk: int = 20_000
) -> DeletedSnapshot:
    """Delete many rows in chunks (SQLite limits the values in one ``IN``) as one snapshot.

    The snapshot's tables are in dependency order (parents first), so :func:`restore_in` puts
    back a row that a later chunk's cascade removed only after what it refers to.
    """
    table: Table = entity.__table__  # type: ignore[assignment]
    pk_col = next(iter(table.primary_key.columns))
    snapshot = DeletedSnapshot()
    for start in range(0, len(idents), chunk):
        part = idents[start : start + chunk]
        _collect(session, table, pk_col.in_(part), snapshot)
        session.execute(delete(table).where(pk_col.in_(part)))
    order = {t.name: i for i, t in enumerate(m.Base.metadata.sorted_tables)}
    merged: dict[str, list[dict[str, Any]]] = {}
    for name, rows in snapshot.rows:
        merged.setdefault(name, []).extend(rows)
    snapshot.rows[:] = sorted(merged.items(), key=lambda item: order[item[0]])
    write_audit(session, _snapshot_entries(snapshot, "delete"))  # cascaded rows too
    return snapshot


def _snapshot_entries(snapshot: DeletedSnapshot, action: str) -> list[AuditEntry]:
    """One audit row per row a delete removed (or a restore put back), cascaded rows included,
    and one per reference the delete set to NULL (or the restore set again)."""
    tables = m.Base.metadata.tables
    entries = []
    for name, rows in snapshot.rows:
        pk_names = [c.name for c in tables[name].primary_key.columns]
        for row in rows:
            # Rows keyed by two ids (a person on a risk) keep both in the values.
            ident = row.get(pk_names[0]) if len(pk_names) == 1 else None
            values = public_values(row)
            entries.append(AuditEntry(action, name, ident, None, *_before_after(action, values)))
    for name, column, pairs in snapshot.nulled:
        for ident, value in pairs:
            old, new = (value, None) if action == "delete" else (None, value)
            entries.append(AuditEntry("update", name, ident, column, old, new))
    return entries


def _before_after(action: str, values: dict[str, Any]) -> tuple[Any, Any]:
    return (values, None) if action == "delete" else (None, values)


def restore(ws: Workspace, snapshot: DeletedSnapshot) -> ChangeSet:
    with ws.session() as session:
        restore_in(session, snapshot)
    return snapshot.changes


def restore_in(session: Session, snapshot: DeletedSnapshot) -> None:
    """Put back exactly what a delete removed (undo)."""
    tables = m.Base.metadata.tables
    try:
        for name, rows in snapshot.rows:
            if rows:
                session.execute(insert(tables[name]), rows)
        for name, column, pairs in snapshot.nulled:
            table = tables[name]
            pk = next(iter(table.primary_key.columns))
            for ident, value in pairs:
                session.execute(sql_update(table).where(pk == ident).values({column: value}))
    except IntegrityError as exc:
        raise ServiceError(describe_integrity_error(exc, "restored row")) from None
    write_audit(session, _snapshot_entries(snapshot, "restore"))


def _collect(session: Session, table: Table, where: Any, snapshot: DeletedSnapshot) -> None:
    rows = [dict(r._mapping) for r in session.execute(select(table).where(where))]
    # A row reachable along two paths (a tie between two deleted people) is taken once.
    pk_names = [c.name for c in table.primary_key.columns]
    seen = snapshot.seen.setdefault(table.name, set())
    rows = [r for r in rows if tuple(r[n] for n in pk_names) not in seen]
    seen.update(tuple(r[n] for n in pk_names) for r in rows)
    snapshot.rows.append((table.name, rows))
    if not rows:
        return
    for child in m.Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            keys = [row[fk.column.name] for row in rows]
            if fk.ondelete == "CASCADE":
                _collect(session, child, fk.parent.in_(keys), snapshot)
            elif fk.ondelete == "SET NULL":
                pk = next(iter(child.primary_key.columns))
                pairs = session.execute(select(pk, fk.parent).where(fk.parent.in_(keys))).all()
                if pairs:
                    snapshot.nulled.append((child.name, fk.parent.name, [tuple(p) for p in pairs]))


def _public(record: Any) -> dict[str, Any]:
    return public_values(record.__dict__)


def public_values(values: dict[str, Any]) -> dict[str, Any]:
    """The values an audit row keeps of a created or deleted row: the filled-in fields."""
    return {k: v for k, v in values.items() if v not in _BLANK and k != "id"}


_BLANK = (None, "", {})  # built once: written inline it makes a new dict for every value
