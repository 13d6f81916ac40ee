"""Stakeholder register use cases: read the register, edit, bulk edit, delete and restore.

Reads (``stakeholder_register``) use SQLAlchemy Core and return plain columns; writes go through
``crud`` or Core executemany, each one transaction with its audit rows. Values are checked by
``stakeholder_fields`` first, so a bad value is a ``FieldError`` naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.exc import IntegrityError

from cmio_desktop import models as m
from cmio_desktop.enums import Role, StakeholderGroup
from cmio_desktop.services import crud
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_UNDO, VERSION, refuse, same
from cmio_desktop.services.errors import (
    NotFoundError,
    ServiceError,
    describe_integrity_error,
)
from cmio_desktop.services.stakeholders.fields import (
    FIELD_LABELS,
    MAX_LENGTH,
    FieldError,
    normalise,
    validate,
)
from cmio_desktop.services.stakeholders.register import (
    DistinctValues,
    RegisterData,
    distinct_values,
    grid_settings,
    id_chunks,
    register_rows,
)
from cmio_desktop.services.worked_on import refuse_changed, refuse_dependants
from cmio_desktop.store import Workspace

__all__ = [
    "FIELD_LABELS",
    "DistinctValues",
    "FieldError",
    "RegisterData",
    "bulk_update",
    "create_stakeholder",
    "delete_stakeholders",
    "distinct_values",
    "duplicate_stakeholder",
    "get_stakeholder",
    "grid_settings",
    "normalise",
    "register_rows",
    "remove_added",
    "restore",
    "restore_values",
    "set_custom_field",
    "update_stakeholder",
    "validate",
]

S = m.Stakeholder.__table__
SINCE_ADDED = "since you added them; undo skipped"


def get_stakeholder(ws: Workspace, ident: int) -> Any:
    """One person as a frozen record (every column)."""
    return crud.get(ws, m.Stakeholder, ident)


def create_stakeholder(ws: Workspace, **values: Any) -> Any:
    values = {
        "name": "New stakeholder",
        "role": Role.NURSE,
        "group": StakeholderGroup.FRONTLINE_CLINICIAN,
        **values,
    }
    values = normalise(values)
    with ws.session() as session:
        org = session.scalar(select(m.Organisation.id).order_by(m.Organisation.id))
        if org is None:
            raise ServiceError("The workspace has no organisation to add people to.")
        return crud.create_in(session, m.Stakeholder, organisation_id=org, **values)


def duplicate_stakeholder(ws: Workspace, ident: int) -> Any:
    """A copy of the person (not their ties or assessments) without their external id."""
    source = get_stakeholder(ws, ident)
    skip = {"id", "external_id", "created_at", "updated_at", "version"}
    values = {k: v for k, v in source.__dict__.items() if k not in skip}
    values["name"] = f"{source.name} (copy)"[: MAX_LENGTH["name"]]
    values["custom_fields"] = dict(source.custom_fields or {})
    with ws.session() as session:
        return crud.create_in(session, m.Stakeholder, **values)


def update_stakeholder(
    ws: Workspace,
    ident: int,
    *,
    expected: dict[str, Any] | None = None,
    since: str = SINCE_EDIT,
    **changes: Any,
) -> Any:
    """Change fields of one person (audited); returns the updated record.

    With ``expected`` (the values the caller believes are stored), a field someone else has
    changed meanwhile refuses the whole change with a ConflictError naming it."""
    checked = None
    if expected:  # the row version it was shown passes through as it is
        fields = {k: v for k, v in expected.items() if k != VERSION}
        checked = normalise(fields) | ({VERSION: expected[VERSION]} if VERSION in expected else {})
    return crud.update(
        ws, m.Stakeholder, ident, expected=checked, since=since, **normalise(changes)
    )


def set_custom_field(ws: Workspace, ident: int, key: str, value: Any) -> Any:
    """Set one custom field (``value`` None removes it)."""
    key = key.strip()
    if not key:
        raise FieldError("custom_fields", "Every custom field needs a name.")
    with ws.session() as session:
        current = dict(session.scalar(select(S.c.custom_fields).where(S.c.id == ident)) or {})
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
        return crud.update_in(
            session,
            m.Stakeholder,
            ident,
            custom_fields=normalise({"custom_fields": current})["custom_fields"],
        )


def _column_names(keys: Iterable[str]) -> dict[str, str]:
    attrs = inspect(m.Stakeholder).column_attrs
    return {key: attrs[key].columns[0].name for key in keys}


def bulk_update(
    ws: Workspace,
    ids: Sequence[int],
    *,
    expected: dict[int, dict[str, Any]] | None = None,
    since: str = SINCE_UNDO,
    **changes: Any,
) -> Written[dict[int, dict[str, Any]]]:
    """Set the same values on many people in one transaction; returns each person's old values
    of the changed fields (for ``restore_values``). With ``expected`` (per person, as returned
    before), refuse if someone else changed any of those fields meanwhile."""
    if not changes:
        raise ServiceError("Choose at least one field to change.")
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ServiceError("Select at least one person.")
    values = normalise(changes)
    columns = _column_names(values)
    old: dict[int, dict[str, Any]] = {}
    with ws.session() as session:
        for where in id_chunks(ids):
            stmt = select(S.c.id, *(S.c[columns[k]] for k in values)).where(where)
            for ident, *current in session.execute(stmt):
                old[ident] = dict(zip(values, current, strict=True))
        missing = len(ids) - len(old)
        if missing:
            raise NotFoundError(
                f"{missing:,} of the selected people no longer exist; refresh and try again."
            )
        if expected:
            _refuse_changed(session, old, expected, since)
        stored = {columns[k]: v for k, v in values.items()}
        try:
            for where in id_chunks(ids):
                session.execute(update(S).where(where).values(stored))
        except IntegrityError as exc:
            raise ServiceError(describe_integrity_error(exc, "stakeholder")) from None
        write_audit(
            session,
            [
                AuditEntry("update", "stakeholder", ident, key, before[key], values[key])
                for ident, before in old.items()
                for key in values
                if before[key] != values[key]
            ],
        )
    return Written(old, ChangeSet.of(ChangeKind.STAKEHOLDER, ids=old))


def restore_values(
    ws: Workspace,
    old: dict[int, dict[str, Any]],
    *,
    expected: dict[str, Any] | None = None,
    since: str = SINCE_EDIT,
) -> ChangeSet:
    """Put back per-person values (undo of ``bulk_update``), audited, one transaction.

    With ``expected`` (the values the bulk edit set), refuse if someone else has changed one
    of those fields of one of the people since."""
    if not old:
        return ChangeSet.of(ChangeKind.STAKEHOLDER)
    by_keys: dict[tuple[str, ...], list[int]] = {}
    for ident, values in old.items():
        by_keys.setdefault(tuple(values), []).append(ident)
    with ws.session() as session:
        for keys, idents in by_keys.items():
            columns = _column_names(keys)
            current: dict[int, tuple[Any, ...]] = {}
            for where in id_chunks(idents):
                stmt = select(S.c.id, *(S.c[columns[k]] for k in keys)).where(where)
                current.update({r[0]: tuple(r[1:]) for r in session.execute(stmt)})
            if expected:
                found = {i: dict(zip(keys, row, strict=True)) for i, row in current.items()}
                wanted = normalise({k: expected[k] for k in keys if k in expected})
                _refuse_changed(session, found, {i: wanted for i in found}, since)
            stmt = (
                update(S)
                .where(S.c.id == bindparam("_id"))
                .values({columns[k]: bindparam(f"_v_{k}") for k in keys})
            )
            params = [
                {"_id": i, **{f"_v_{k}": _plain(old[i][k]) for k in keys}}
                for i in idents
                if i in current
            ]
            try:
                if params:
                    session.execute(stmt, params)
            except IntegrityError as exc:
                raise ServiceError(describe_integrity_error(exc, "stakeholder")) from None
            write_audit(
                session,
                [
                    AuditEntry("update", "stakeholder", i, k, current[i][n], old[i][k])
                    for i in idents
                    if i in current
                    for n, k in enumerate(keys)
                    if current[i][n] != old[i][k]
                ],
            )
    return ChangeSet.of(ChangeKind.STAKEHOLDER, ids=old)


def _refuse_changed(
    session: Any,
    current: dict[int, dict[str, Any]],
    expected: dict[int, dict[str, Any]],
    since: str,
) -> None:
    """ConflictError naming the first field (of the first person) not as expected."""
    clashes = [
        (ident, key, values[key])
        for ident, values in current.items()
        for key, value in expected.get(ident, {}).items()
        if key in values and not same(values[key], value)
    ]
    if clashes:
        ident, key, found = clashes[0]
        name = session.scalar(select(S.c.name).where(S.c.id == ident)) or f"person {ident}"
        refuse(session, "stakeholder", ident, key, name, found, since, len(clashes) - 1)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def delete_stakeholders(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    """Delete people and everything that hangs off them (ties, assessments…) for exact undo."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ServiceError("Select at least one person to delete.")
    return crud.delete_rows(ws, m.Stakeholder, ids)


def remove_added(ws: Workspace, added: Any) -> crud.DeletedSnapshot:
    """Undo of adding a person (``added``: the record as created): delete them, unless someone
    has since changed them or given them ties, rounds… (ConflictError: their work is kept)."""
    with ws.session() as session:
        fields = {k: v for k, v in added.__dict__.items() if k != "id"}
        names = _column_names(fields)
        values = {names[k]: v for k, v in fields.items()}
        refuse_changed(session, S, [(added.id, values)], SINCE_ADDED)
        refuse_dependants(session, S, [added.id], "whom you added", "since then")
        return crud.delete_rows_in(session, m.Stakeholder, [added.id])


def restore(ws: Workspace, snapshot: crud.DeletedSnapshot) -> ChangeSet:
    """Undo a delete: the people and their ties come back with the same ids."""
    return crud.restore(ws, snapshot)
