"""Editing one engagement log entry as the dialog shows it: its fields and its commitments in
one transaction, returning what was there before (so one undo step puts both back)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.engagement.log import COMMITMENT_MAX, C, check_entry
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.store import Workspace

#: A commitment as the dialog edits it: (text, due date or None, done).
Promise = tuple[str, date | None, bool]


@dataclass(frozen=True)
class EntryEdit:
    """Fields to set on an entry and, unless None, the commitments that replace its own."""

    values: dict[str, Any] = field(default_factory=dict)
    commitments: tuple[Promise, ...] | None = None


def check_commitments(items: Sequence[Promise]) -> tuple[Promise, ...]:
    """Blank texts dropped, the rest trimmed; ServiceError with a sentence for a too-long one."""
    out = []
    for text, due, done in items:
        text = str(text or "").strip()
        if not text:
            continue
        if len(text) > COMMITMENT_MAX:
            raise ServiceError(f"A commitment is longer than {COMMITMENT_MAX} characters.")
        out.append((text, due, bool(done)))
    return tuple(out)


def edit_entry(ws: Workspace, entry_id: int, edit: EntryEdit) -> Written[EntryEdit]:
    """Apply ``edit`` to the entry (audited); returns the edit that undoes it."""
    promised = None if edit.commitments is None else check_commitments(edit.commitments)
    with ws.session() as session:
        old = session.get(m.EngagementEntry, entry_id)
        if old is None:
            raise NotFoundError("That log entry no longer exists.")
        merged = {"occurred_on": old.occurred_on, "next_contact": old.next_contact, **edit.values}
        checked = check_entry(merged, today=max(date.today(), old.occurred_on))
        checked = {k: v for k, v in checked.items() if k in edit.values}
        before_values = {k: getattr(old, k) for k in checked}
        if checked:
            crud.update_in(session, m.EngagementEntry, entry_id, **checked)
        before_promised: tuple[Promise, ...] | None = None
        if promised is not None:
            rows = session.execute(
                select(C.c.id, C.c.text, C.c.due, C.c.done)
                .where(C.c.entry_id == entry_id)
                .order_by(C.c.id)
            ).all()
            before_promised = tuple((r.text, r.due, bool(r.done)) for r in rows)
            if before_promised != promised:
                if rows:
                    crud.delete_rows_in(session, m.EngagementCommitment, [r.id for r in rows])
                for text, due, done in promised:
                    crud.create_in(
                        session, m.EngagementCommitment,
                        entry_id=entry_id, text=text, due=due, done=done,
                    )  # fmt: skip
    undo = EntryEdit(before_values, before_promised)
    return Written(undo, ChangeSet.of(ChangeKind.ENGAGEMENT, ids=[entry_id]))
