"""Plan an engagement-log import: one entry per row, for a person the register already has.

A row for the same person, date and kind of contact as a stored entry updates that entry (so
re-importing a file changes nothing); otherwise it is a new entry, filed under the chosen
initiative (none when not chosen). People who cannot be found are reported, never created;
a blank kind of contact is a 1:1, a blank sentiment is neutral (0).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.enums import EngagementType
from cmio_desktop.io.validation import EngagementRecord
from cmio_desktop.models.base import utcnow
from cmio_desktop.services.importing.people import PersonIndex, ref_field
from cmio_desktop.services.importing.plan import NEW, PlanContext, PlannedRow, PlanParts
from cmio_desktop.services.importing.readiness import classify_update, initiative

E = m.EngagementEntry.__table__
LABELS = {
    "our_side": "our side",
    "summary": "summary",
    "sentiment": "sentiment",
    "next_contact": "next contact",
}


def plan_engagement(
    session: Session, records: Iterable[EngagementRecord], ctx: PlanContext
) -> PlanParts:
    chosen = ctx.options.initiative_id
    if chosen is not None:
        initiative(session, chosen)  # raises if it does not exist
    index = PersonIndex.load(session)
    stored: dict[tuple[int, Any, str], dict[str, Any]] = {}
    for row in session.execute(
        select(
            E.c.id, E.c.stakeholder_id, E.c.occurred_on, type_coerce(E.c.type, String),
            E.c.our_side, E.c.summary, E.c.sentiment, E.c.next_contact,
        )
    ).mappings():  # fmt: skip
        stored[(int(row["stakeholder_id"]), row["occurred_on"], row["type"])] = dict(row)
    parts = PlanParts()
    seen: dict[tuple[int, Any, str], int] = {}
    now = utcnow()
    for record in records:
        person, why = index.resolve(record.person)
        if person is None:
            field = ref_field("person", record.person, ctx.mapped)
            ctx.reject(record.row, field, record.person.value, why)
            continue
        kind = (record.type or EngagementType.ONE_TO_ONE).value
        key = (person, record.occurred_on, kind)
        first = seen.setdefault(key, record.row)
        if first != record.row:
            ctx.reject(
                record.row, "date", record.occurred_on,
                f"{index.name(person)} has the same contact on row {first}",
            )  # fmt: skip
            continue
        label = (
            f"{index.name(person)}: {EngagementType(kind).label} on {record.occurred_on:%d %b %Y}"
        )
        wanted = {
            name: getattr(record, name)
            for name in LABELS
            if name in ctx.mapped and getattr(record, name) is not None
        }
        old = stored.get(key)
        if old is not None:
            classify_update(parts, record.row, label, old, wanted, LABELS)
            continue
        values = {
            "stakeholder_id": person,
            "initiative_id": chosen,
            "occurred_on": record.occurred_on,
            "type": kind,
            "our_side": record.our_side or "",
            "summary": record.summary or "",
            "sentiment": record.sentiment or 0,
            "next_contact": record.next_contact,
            "created_at": now,
        }
        parts.new.append(PlannedRow(record.row, NEW, label, None, values))
    return parts
