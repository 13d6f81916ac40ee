"""Influence ties: read them for tables, and add / edit / delete them (audited, undoable).

A tie ``source → target`` means *source influences target*, strength 1–5, with a kind and a
note. Writes go through ``crud`` (one transaction and an audit row each); a delete returns the
snapshot that :func:`restore_tie` puts back exactly, id included.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session, aliased

from cmio_desktop import models as m
from cmio_desktop.enums import TieKind
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.conflicts import SINCE_EDIT
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.worked_on import refuse_changed
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__
R = m.Relationship.__table__
SINCE_ADDED = "since you added it; undo skipped"
CHUNK = 4_096  # rows per fetch (see network.CHUNK)
EDITABLE = ("source_id", "target_id", "strength", "kind", "note")


@dataclass(frozen=True)
class TieRow:
    id: int
    source_id: int
    source_name: str
    target_id: int
    target_name: str
    strength: int
    kind: str  # TieKind value
    note: str
    version: int = 0  # the row version as read: an edit or delete made on it checks it

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def describe(self) -> str:
        return f"{self.source_name} → {self.target_name}"

    @property
    def changes(self) -> ChangeSet:
        """What adding this tie changed (a tie as added is :func:`add_tie`'s result)."""
        return ChangeSet.of(ChangeKind.RELATIONSHIP, ids=[self.id])


@dataclass(frozen=True)
class PersonTies:
    """Whom a person influences and who influences them, strongest first."""

    person_id: int
    name: str
    influences: list[TieRow]
    influenced_by: list[TieRow]


@dataclass(frozen=True)
class RelationshipRows:
    """Every tie as columns; ``source``/``target`` are positions into the people columns."""

    ids: np.ndarray
    source: np.ndarray
    target: np.ndarray
    strength: np.ndarray
    kind: list[str]
    note: list[str]
    person_ids: np.ndarray
    person_names: list[str]
    person_departments: list[str]
    versions: np.ndarray | None = None  # each tie's row version as read

    def __len__(self) -> int:
        return int(self.ids.size)

    def source_name(self, row: int) -> str:
        return self.person_names[int(self.source[row])]

    def target_name(self, row: int) -> str:
        return self.person_names[int(self.target[row])]

    def row(self, row: int) -> TieRow:
        return TieRow(
            id=int(self.ids[row]),
            source_id=int(self.person_ids[self.source[row]]),
            source_name=self.source_name(row),
            target_id=int(self.person_ids[self.target[row]]),
            target_name=self.target_name(row),
            strength=int(self.strength[row]),
            kind=self.kind[row],
            note=self.note[row],
            version=int(self.versions[row]) if self.versions is not None else 0,
        )

    def versions_of(self, rows: list[int]) -> dict[int, int]:
        """Tie id → row version as read, for the rows (positions) given."""
        if self.versions is None:
            return {}
        return {int(self.ids[r]): int(self.versions[r]) for r in rows}


def kind_label(value: str) -> str:
    try:
        return TieKind(value).label
    except ValueError:
        return value


# -- reading --------------------------------------------------------------------------------------


def relationship_rows(ws: Workspace) -> RelationshipRows:
    """All ties with their people, for the relationships table (Core selects, one session)."""
    with ws.read_session() as session:
        ids: list[int] = []
        names: list[str] = []
        departments: list[str] = []
        stmt = select(S.c.id, S.c.name, S.c.department).order_by(S.c.id)
        for part in session.execute(stmt).partitions(CHUNK):
            for ident, name, dept in part:
                ids.append(ident)
                names.append(name)
                departments.append(dept or "")
        ties = select(
            R.c.id,
            R.c.source_id,
            R.c.target_id,
            R.c.strength,
            type_coerce(R.c.kind, String),
            R.c.note,
            R.c.version,
        ).order_by(R.c.id)
        numbers: list[np.ndarray] = []
        kinds: list[str] = []
        notes: list[str] = []
        for part in session.execute(ties).partitions(CHUNK):
            numbers.append(
                np.fromiter(
                    itertools.chain.from_iterable((*r[:4], r[6]) for r in part),
                    dtype=np.int64,
                    count=5 * len(part),
                )
            )
            kinds.extend(r[4] for r in part)
            notes.extend(r[5] or "" for r in part)
    person_ids = np.asarray(ids, dtype=np.int64)
    flat = np.concatenate(numbers).reshape(-1, 5) if numbers else np.zeros((0, 5), np.int64)
    return RelationshipRows(
        ids=flat[:, 0].copy(),
        source=np.searchsorted(person_ids, flat[:, 1]),
        target=np.searchsorted(person_ids, flat[:, 2]),
        strength=flat[:, 3].copy(),
        kind=kinds,
        note=notes,
        person_ids=person_ids,
        person_names=names,
        person_departments=departments,
        versions=flat[:, 4].copy(),
    )


def _tie_select() -> Any:
    src, tgt = aliased(m.Stakeholder), aliased(m.Stakeholder)
    return (
        select(
            R.c.id,
            R.c.source_id,
            src.name,
            R.c.target_id,
            tgt.name,
            R.c.strength,
            type_coerce(R.c.kind, String),
            R.c.note,
            R.c.version,
        )
        .join(src, src.id == R.c.source_id)
        .join(tgt, tgt.id == R.c.target_id)
    )


def _tie_row(row: Any) -> TieRow:
    ident, source_id, source_name, target_id, target_name, strength, kind, note, version = row
    return TieRow(
        ident, source_id, source_name, target_id, target_name, strength, kind, note or "", version
    )


def _get_in(session: Session, tie_id: int) -> TieRow:
    row = session.execute(_tie_select().where(R.c.id == tie_id)).first()
    if row is None:
        raise NotFoundError(f"That tie no longer exists (id {tie_id}).")
    return _tie_row(row)


def get_tie(ws: Workspace, tie_id: int) -> TieRow:
    with ws.read_session() as session:
        return _get_in(session, tie_id)


def find_tie(ws: Workspace, source_id: int, target_id: int) -> TieRow | None:
    with ws.read_session() as session:
        stmt = _tie_select().where(R.c.source_id == source_id, R.c.target_id == target_id)
        row = session.execute(stmt).first()
        return None if row is None else _tie_row(row)


def person_ties(ws: Workspace, person_id: int) -> PersonTies:
    """The person's outgoing ("influences") and incoming ("influenced by") ties."""
    with ws.read_session() as session:
        name = session.scalar(select(S.c.name).where(S.c.id == person_id))
        if name is None:
            raise NotFoundError(f"That person no longer exists (id {person_id}).")
        order = (R.c.strength.desc(), R.c.id)
        out = session.execute(_tie_select().where(R.c.source_id == person_id).order_by(*order))
        influences = [_tie_row(r) for r in out]
        inc = session.execute(_tie_select().where(R.c.target_id == person_id).order_by(*order))
        influenced_by = [_tie_row(r) for r in inc]
    return PersonTies(person_id, name, influences, influenced_by)


@dataclass(frozen=True)
class PersonChoice:
    id: int
    name: str
    department: str


def person_choices(ws: Workspace) -> list[PersonChoice]:
    """Everyone, by name, for pickers (the tie dialog)."""
    with ws.read_session() as session:
        stmt = select(S.c.id, S.c.name, S.c.department).order_by(S.c.name, S.c.id)
        return [PersonChoice(i, n, d or "") for i, n, d in session.execute(stmt)]


# -- writing --------------------------------------------------------------------------------------


def _check(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Readable messages for the common mistakes, before the database would refuse them."""
    out = dict(values)
    if "strength" in out:
        strength = out["strength"]
        if isinstance(strength, str) and strength.strip().isdigit():
            strength = int(strength.strip())
        if isinstance(strength, bool) or not isinstance(strength, int) or not 1 <= strength <= 5:
            raise ServiceError("Tie strength must be a whole number from 1 to 5.")
        out["strength"] = strength
    if "kind" in out and not isinstance(out["kind"], TieKind):
        try:
            out["kind"] = TieKind.from_text(str(out["kind"] or ""))
        except ValueError as exc:
            raise ServiceError(f"Kind: {exc}.") from None
    if "note" in out:
        out["note"] = "" if out["note"] is None else str(out["note"]).strip()
    for key in ("source_id", "target_id"):
        if key in out and session.scalar(select(S.c.id).where(S.c.id == out[key])) is None:
            who = "influencer" if key == "source_id" else "influenced person"
            raise NotFoundError(f"The {who} no longer exists; refresh and try again.")
    return out


def add_tie(
    ws: Workspace,
    source_id: int,
    target_id: int,
    strength: int = 3,
    kind: TieKind | str = TieKind.PEER,
    note: str = "",
    *,
    tie_id: int | None = None,
) -> TieRow:
    """Record that ``source_id`` influences ``target_id`` (audited). ``tie_id`` re-creates a
    tie with its old id (redo after undo)."""
    if source_id == target_id:
        raise ServiceError("A person cannot influence themselves.")
    with ws.session() as session:
        values = _check(
            session,
            dict(source_id=source_id, target_id=target_id, strength=strength, kind=kind, note=note),
        )
        if tie_id is not None:
            values["id"] = tie_id
        record = crud.create_in(session, m.Relationship, **values)
        return _get_in(session, record.id)


def update_tie(
    ws: Workspace,
    tie_id: int,
    *,
    expected: dict[str, Any] | None = None,
    since: str = SINCE_EDIT,
    **changes: Any,
) -> Written[tuple[dict[str, Any], TieRow]]:
    """Change a tie (audited). Returns the old values of the changed fields (for undo) and
    the tie as it is now. With ``expected``, refuse if someone else changed those fields."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ServiceError(f"A tie has no editable field '{sorted(unknown)[0]}'.")
    with ws.session() as session:
        current = _get_in(session, tie_id)
        values = _check(session, changes)
        source = values.get("source_id", current.source_id)
        target = values.get("target_id", current.target_id)
        if source == target:
            raise ServiceError("A person cannot influence themselves.")
        old = {
            key: (TieKind(current.kind) if key == "kind" else getattr(current, key))
            for key in values
        }
        wanted = _check(session, expected) if expected else None
        crud.update_in(session, m.Relationship, tie_id, expected=wanted, since=since, **values)
        row = _get_in(session, tie_id)
        return Written((old, row), row.changes)


def delete_tie(
    ws: Workspace, tie_id: int, expected: dict[str, Any] | None = None
) -> crud.DeletedSnapshot:
    """Delete a tie (audited); the snapshot lets :func:`restore_tie` undo it exactly.

    With ``expected`` (the undo of adding it: the values it was added with), refuse if someone
    else has changed the tie since, so their change is not thrown away with it."""
    with ws.session() as session:
        if expected:
            values = _check(session, expected)
            refuse_changed(session, R, [(tie_id, values)], SINCE_ADDED)
        return crud.delete_rows_in(session, m.Relationship, [tie_id])


def delete_ties(ws: Workspace, tie_ids: list[int]) -> crud.DeletedSnapshot:
    """Delete several ties in one transaction (audited), for one undo step."""
    tie_ids = list(dict.fromkeys(tie_ids))
    if not tie_ids:
        raise ServiceError("Select at least one tie to delete.")
    return crud.delete_rows(ws, m.Relationship, tie_ids)


def restore_tie(ws: Workspace, snapshot: crud.DeletedSnapshot) -> ChangeSet:
    return crud.restore(ws, snapshot)
