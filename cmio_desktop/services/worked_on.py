"""Other people's work on rows an undo would take away: refuse rather than destroy it.

Undoing an import or an added person deletes rows. Before that, the rows must still hold what
was written, and nothing may hang off them that was added since (a colleague's tie, readiness
round, training record…); otherwise the undo is refused with a sentence and nothing changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, literal, select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.services.conflicts import VERSION, refuse, same
from cmio_desktop.services.errors import ConflictError

ID_CHUNK = 20_000  # ids per IN (...) list
_UNTRACKED = {"id", "created_at", "updated_at", VERSION}


def refuse_dependants(
    session: Session, table: Table, ids: list[int], added_how: str, since: str
) -> None:
    """ConflictError if any row of another table refers to one of ``ids`` (its deletion would
    cascade to, or clear, someone's later work)."""
    for child in m.Base.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            for start in range(0, len(ids), ID_CHUNK):
                chunk = ids[start : start + ID_CHUNK]
                found = session.execute(
                    select(fk.parent, func.count()).where(fk.parent.in_(chunk)).group_by(fk.parent)
                ).first()
                if found is not None:
                    owner, count = found
                    raise ConflictError(
                        f"{name_of(session, table, owner)}, {added_how}, now has "
                        f"{things(child.name, count)} added {since}; undo skipped, so that "
                        "work is kept."
                    )


def refuse_changed(
    session: Session, table: Table, rows: list[tuple[int, dict[str, Any]]], since: str
) -> None:
    """ConflictError naming the first stored field that no longer holds the given value."""
    if not rows:
        return
    wanted = dict(rows)
    columns = sorted({c for _, values in rows for c in values if c not in _UNTRACKED})
    clashes: list[tuple[int, str, Any]] = []
    ids = list(wanted)
    versioned = VERSION in table.c
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        version = table.c[VERSION] if versioned else literal(None)
        stmt = select(table.c.id, version, *(table.c[c] for c in columns))
        for ident, at, *stored in session.execute(stmt.where(table.c.id.in_(chunk))):
            if at is not None and wanted[ident].get(VERSION) == at:
                continue  # still the row as given: nobody changed it since
            for column, value in zip(columns, stored, strict=True):
                if column in wanted[ident] and not same(value, wanted[ident][column]):
                    clashes.append((ident, column, value))
    if clashes:
        ident, column, value = clashes[0]
        who = name_of(session, table, ident)
        refuse(session, table.name, ident, column, who, value, since, len(clashes) - 1)


def name_of(session: Session, table: Table, ident: int) -> str:
    """The row as a user knows it: a name, "the tie A → B", "the assessment of A"."""
    if "source_id" in table.c and "target_id" in table.c:
        ends = session.execute(
            select(table.c.source_id, table.c.target_id).where(table.c.id == ident)
        ).first()
        if ends is not None:
            names = [session.get(m.Stakeholder, i) for i in ends]
            if all(names):
                return f"the tie {names[0].name} → {names[1].name}"  # type: ignore[union-attr]
    if "name" in table.c:
        name = session.scalar(select(table.c.name).where(table.c.id == ident))
        if name:
            return str(name)
    if "stakeholder_id" in table.c:
        person = session.scalar(
            select(m.Stakeholder.name)
            .join(table, table.c.stakeholder_id == m.Stakeholder.id)
            .where(table.c.id == ident)
        )
        if person:
            return f"the {table.name.replace('_', ' ')} of {person}"
    return f"{table.name.replace('_', ' ')} {ident}"


def things(table: str, count: int) -> str:
    nouns = {
        "relationship": ("tie", "ties"),
        "assessment": ("readiness round", "readiness rounds"),
        "training_completion": ("training record", "training records"),
        "activity_audience": ("planned activity", "planned activities"),
        "risk_stakeholder": ("risk", "risks"),
        "request": ("request", "requests"),
    }
    one, many = nouns.get(table, (table.replace("_", " "), table.replace("_", " ") + " rows"))
    return f"{count:,} {one if count == 1 else many}"
