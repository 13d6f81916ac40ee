"""Plan a relationship (influence tie) import.

Source and target are found by external ID, else email, else exact name
(:class:`.import_people.PersonIndex`); a person who cannot be found is reported on the row and
never created. A tie that already exists (same source and target) is updated: its strength when
the file has a strength column, its kind when the row gives one, its note when the file has a
note column. New ties default to kind "Peer" and, when the strength cell is blank, strength 3.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.enums import TieKind
from cmio_desktop.io.validation import RelationshipRecord
from cmio_desktop.services.importing.people import PersonIndex, ref_field
from cmio_desktop.services.importing.plan import (
    NEW,
    UNCHANGED,
    UPDATED,
    PlanContext,
    PlannedRow,
    PlanParts,
    compare,
)

R = m.Relationship.__table__
LABELS = {"strength": "strength", "kind": "kind", "note": "note"}
CHUNK = 20_000
NOTE_MAX = 4000


def plan_relationships(
    session: Session, records: Iterable[RelationshipRecord], ctx: PlanContext
) -> PlanParts:
    index = PersonIndex.load(session)
    resolved: list[tuple[RelationshipRecord, int, int]] = []
    seen: dict[tuple[int, int], int] = {}
    for record in records:
        source, why_source = index.resolve(record.source)
        target, why_target = index.resolve(record.target)
        if source is None:
            field = ref_field("source", record.source, ctx.mapped)
            ctx.reject(record.row, field, record.source.value, why_source)
        if target is None:
            field = ref_field("target", record.target, ctx.mapped)
            ctx.reject(record.row, field, record.target.value, why_target)
        if source is None or target is None:
            continue
        target_field = ref_field("target", record.target, ctx.mapped)
        if source == target:
            ctx.reject(
                record.row,
                target_field,
                record.target.value,
                f"is the same person as the source ({index.name(source)}); "
                "a person cannot influence themselves",
            )
            continue
        first = seen.setdefault((source, target), record.row)
        if first != record.row:
            ctx.reject(
                record.row,
                target_field,
                record.target.value,
                f"the tie {index.name(source)} → {index.name(target)} is also on row {first}",
            )
            continue
        if record.note is not None and len(record.note) > NOTE_MAX:
            ctx.reject(
                record.row,
                "note",
                record.note[:60] + "…",
                f"is too long (at most {NOTE_MAX:,} characters)",
            )
            continue
        resolved.append((record, source, target))

    existing = _existing_ties({s for _, s, _ in resolved}, session)
    parts = PlanParts()
    for record, source, target in resolved:
        label = f"{index.name(source)} → {index.name(target)}"
        old = existing.get((source, target))
        if old is None:
            values = {
                "source_id": source,
                "target_id": target,
                "strength": record.strength,
                "kind": record.kind or TieKind.PEER,
                "note": record.note or "",
            }
            parts.new.append(PlannedRow(record.row, NEW, label, None, values))
            continue
        changes = compare(old, _wanted(record, ctx), LABELS)
        if changes:
            values = {c.column: c.new for c in changes}
            parts.updated.append(PlannedRow(record.row, UPDATED, label, old["id"], values, changes))
        else:
            parts.unchanged.append(PlannedRow(record.row, UNCHANGED, label, old["id"]))
    return parts


def _wanted(record: RelationshipRecord, ctx: PlanContext) -> dict[str, Any]:
    wanted: dict[str, Any] = {}
    if "strength" in ctx.mapped:
        wanted["strength"] = record.strength
    if record.kind is not None:
        wanted["kind"] = record.kind
    if "note" in ctx.mapped and (record.note is not None or not ctx.keeps_blank()):
        wanted["note"] = record.note or ""
    return wanted


def _existing_ties(sources: set[int], session: Session) -> dict[tuple[int, int], Any]:
    columns = (R.c.id, R.c.source_id, R.c.target_id, R.c.strength, R.c.kind, R.c.note)
    ties: dict[tuple[int, int], Any] = {}
    ordered = sorted(sources)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        stmt = select(*columns).where(R.c.source_id.in_(chunk))
        for row in session.execute(stmt).mappings():
            ties[(row["source_id"], row["target_id"])] = row
    return ties
