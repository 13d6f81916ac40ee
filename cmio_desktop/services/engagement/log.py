"""The engagement log: add, edit and delete dated interactions with a person (audited), and
read what the pages need — a person's log and sentiment trend, last and next contact per
person, follow-ups due, and the people not contacted for weeks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.enums import EngagementType
from cmio_desktop.models.engagement import SENTIMENT_MAX, SENTIMENT_MIN
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.engagement.figures import FollowUp, NotContacted
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.store import Workspace

E = m.EngagementEntry.__table__
C = m.EngagementCommitment.__table__
S = m.Stakeholder.__table__
EARLIEST = date(2000, 1, 1)
ENTRY_FIELDS = (
    "occurred_on", "type", "our_side", "summary", "sentiment", "next_contact", "initiative_id",
)  # fmt: skip
COMMITMENT_MAX = 400


@dataclass(frozen=True)
class CommitmentRow:
    id: int
    text: str
    due: date | None
    done: bool
    version: int = 0  # the row version as read: a tick made on it checks it


@dataclass(frozen=True)
class EntryRow:
    id: int
    person_id: int
    occurred_on: date
    type: str
    our_side: str
    summary: str
    sentiment: int
    next_contact: date | None
    initiative_id: int | None
    commitments: tuple[CommitmentRow, ...]
    version: int = 0  # the row version as read: an edit or delete made on it checks it

    @property
    def type_label(self) -> str:
        return EngagementType(self.type).label


@dataclass(frozen=True)
class ContactDates:
    last: date | None
    next: date | None


# -- checking input -----------------------------------------------------------------------------


def check_entry(values: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """Typed, checked values of an entry; ServiceError with a sentence for the first problem."""
    today = today or date.today()
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise ServiceError(f"An engagement entry has no field {', '.join(sorted(unknown))}.")
    out = dict(values)
    if "type" in out:
        try:
            out["type"] = EngagementType.from_text(str(out["type"]))
        except ValueError:
            kinds = ", ".join(t.label for t in EngagementType)
            raise ServiceError(f"“{out['type']}” is not a kind of contact ({kinds}).") from None
    if "occurred_on" in out:
        when = out["occurred_on"]
        if not isinstance(when, date):
            raise ServiceError("Give the date of the contact.")
        if not EARLIEST <= when <= today:
            raise ServiceError(
                f"The contact date {when:%d %b %Y} is out of range: it must be between "
                f"{EARLIEST:%d %b %Y} and today."
            )
    if "sentiment" in out:
        sentiment = out["sentiment"]
        if isinstance(sentiment, bool) or not isinstance(sentiment, int):
            raise ServiceError("Sentiment is a whole number from −2 to +2.")
        if not SENTIMENT_MIN <= sentiment <= SENTIMENT_MAX:
            raise ServiceError(f"Sentiment {sentiment:+d} is out of range: −2 to +2.")
    nxt = out.get("next_contact")
    if nxt is not None and not isinstance(nxt, date):
        raise ServiceError("The next contact is a date (or none).")
    when = out.get("occurred_on")
    if nxt is not None and when is not None and nxt < when:
        raise ServiceError("The next contact cannot be before the contact itself.")
    for key in ("our_side", "summary"):
        if key in out:
            out[key] = str(out[key] or "").strip()
    return out


def _check_commitments(items: Iterable[tuple[str, date | None]]) -> list[tuple[str, date | None]]:
    out = []
    for text, due in items:
        text = str(text or "").strip()
        if not text:
            continue
        if len(text) > COMMITMENT_MAX:
            raise ServiceError(f"A commitment is longer than {COMMITMENT_MAX} characters.")
        out.append((text, due))
    return out


# -- writes ----------------------------------------------------------------------------------------


def add_entry(
    ws: Workspace,
    person_id: int,
    values: dict[str, Any],
    commitments: Iterable[tuple[str, date | None]] = (),
    *,
    today: date | None = None,
) -> Written[int]:
    """Log one interaction with ``person_id`` (audited, one transaction with its commitments);
    the new entry's id."""
    checked = check_entry(
        {"type": EngagementType.ONE_TO_ONE, "sentiment": 0, **values}, today=today
    )
    if "occurred_on" not in checked:
        raise ServiceError("Give the date of the contact.")
    promised = _check_commitments(commitments)
    with ws.session() as session:
        ident = add_entry_in(session, person_id, checked, promised)
    return Written(ident, ChangeSet.of(ChangeKind.ENGAGEMENT, ids=[ident]))


def add_entry_in(
    session: Session,
    person_id: int,
    checked: dict[str, Any],
    commitments: Sequence[tuple[str, date | None]] = (),
) -> int:
    if session.get(m.Stakeholder, person_id) is None:
        raise NotFoundError(f"There is no person with id {person_id}; they may have been deleted.")
    record = crud.create_in(session, m.EngagementEntry, stakeholder_id=person_id, **checked)
    for text, due in commitments:
        crud.create_in(session, m.EngagementCommitment, entry_id=record.id, text=text, due=due)
    return int(record.id)


def update_entry(ws: Workspace, entry_id: int, values: dict[str, Any]) -> Written[dict[str, Any]]:
    """Change fields of an entry; returns their previous values (for undo)."""
    with ws.session() as session:
        old = session.get(m.EngagementEntry, entry_id)
        if old is None:
            raise NotFoundError("That log entry no longer exists.")
        merged = {
            "occurred_on": old.occurred_on,
            "next_contact": old.next_contact,
            **values,
        }
        checked = check_entry(merged, today=max(date.today(), old.occurred_on))
        checked = {k: v for k, v in checked.items() if k in values}
        before = {k: getattr(old, k) for k in checked}
        crud.update_in(session, m.EngagementEntry, entry_id, **checked)
    return Written(before, ChangeSet.of(ChangeKind.ENGAGEMENT, ids=[entry_id]))


def set_commitment_done(ws: Workspace, commitment_id: int, done: bool) -> Written[bool]:
    """Tick a commitment off (or on again); returns the previous state."""
    with ws.session() as session:
        row = session.get(m.EngagementCommitment, commitment_id)
        if row is None:
            raise NotFoundError("That commitment no longer exists.")
        before = bool(row.done)
        crud.update_in(session, m.EngagementCommitment, commitment_id, done=done)
    return Written(before, ChangeSet.of(ChangeKind.ENGAGEMENT))


def delete_entries(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    """Delete entries with their commitments (audited); the snapshot restores them (undo)."""
    return crud.delete_rows(ws, m.EngagementEntry, list(ids))


def restore_entries(ws: Workspace, snapshot: crud.DeletedSnapshot) -> ChangeSet:
    return crud.restore(ws, snapshot)


# -- reads -----------------------------------------------------------------------------------------


def person_log(ws: Workspace, person_id: int) -> list[EntryRow]:
    """A person's interactions, newest first, each with its commitments."""
    with ws.read_session() as session:
        return _entries(session, E.c.stakeholder_id == person_id)


def _entries(session: Session, where: Any) -> list[EntryRow]:
    rows = session.execute(
        select(
            E.c.id, E.c.stakeholder_id, E.c.occurred_on, type_coerce(E.c.type, String),
            E.c.our_side, E.c.summary, E.c.sentiment, E.c.next_contact, E.c.initiative_id,
            E.c.version,
        )
        .where(where)
        .order_by(E.c.occurred_on.desc(), E.c.id.desc())
    ).all()  # fmt: skip
    promised: dict[int, list[CommitmentRow]] = {}
    if rows:
        found = session.execute(
            select(C.c.entry_id, C.c.id, C.c.text, C.c.due, C.c.done, C.c.version)
            .where(C.c.entry_id.in_([r[0] for r in rows]))
            .order_by(C.c.id)
        )
        for entry_id, ident, text, due, done, version in found:
            promised.setdefault(int(entry_id), []).append(
                CommitmentRow(int(ident), text, due, bool(done), int(version))
            )
    return [
        EntryRow(
            int(r[0]),
            int(r[1]),
            r[2],
            r[3],
            r[4] or "",
            r[5] or "",
            int(r[6]),
            r[7],
            r[8],
            tuple(promised.get(int(r[0]), ())),
            int(r[9]),
        )
        for r in rows
    ]


def sentiment_trend(entries: Iterable[EntryRow]) -> list[tuple[date, int]]:
    """(date, sentiment) oldest first, for the person's trend line."""
    return sorted(((e.occurred_on, e.sentiment) for e in entries), key=lambda p: p[0])


def contact_dates(ws: Workspace) -> dict[int, ContactDates]:
    """Per person with a log: the last contact and the next one planned (from the newest
    entry that sets one)."""
    with ws.read_session() as session:
        return contact_dates_in(session)


def contact_dates_in(session: Session) -> dict[int, ContactDates]:
    last = dict(
        session.execute(
            select(E.c.stakeholder_id, func.max(E.c.occurred_on)).group_by(E.c.stakeholder_id)
        ).all()
    )
    planned: dict[int, date] = {}
    rows = session.execute(
        select(E.c.stakeholder_id, E.c.next_contact)
        .where(E.c.next_contact.is_not(None))
        .order_by(E.c.occurred_on, E.c.id)
    )
    for person, nxt in rows:  # the newest entry's plan wins
        planned[int(person)] = nxt
    return {
        int(p): ContactDates(day, planned.get(int(p)) if _still_planned(planned, p, day) else None)
        for p, day in last.items()
    }


def _still_planned(planned: dict[int, date], person: Any, last: date) -> bool:
    """A planned contact stays planned until a contact on or after its date is logged."""
    nxt = planned.get(int(person))
    return nxt is not None and nxt > last


def follow_ups_due(ws: Workspace, today: date | None = None, days: int = 7) -> list[FollowUp]:
    """Planned contacts and open commitments due by ``today + days`` (overdue ones included),
    soonest first."""
    today = today or date.today()
    horizon = today + timedelta(days=days)
    with ws.read_session() as session:
        names = dict(session.execute(select(S.c.id, S.c.name)).all())
        contacts = contact_dates_in(session)
        open_commitments = session.execute(
            select(E.c.stakeholder_id, C.c.text, C.c.due)
            .join(E, E.c.id == C.c.entry_id)
            .where(C.c.done.is_(False), C.c.due.is_not(None), C.c.due <= horizon)
        ).all()
    out = [
        FollowUp(p, names[p], c.next, f"Next contact (last {c.last:%d %b})")
        for p, c in contacts.items()
        if c.next is not None and c.next <= horizon and p in names
    ]
    out += [
        FollowUp(int(p), names[int(p)], due, f"Commitment: {text}")
        for p, text, due in open_commitments
        if int(p) in names
    ]
    return sorted(out, key=lambda f: (f.due, f.name, f.what))


def not_contacted_since(
    ws: Workspace, person_ids: Iterable[int], today: date | None = None, weeks: int = 4
) -> list[NotContacted]:
    """Of ``person_ids`` (e.g. the key resisters), those with no logged contact in the last
    ``weeks`` weeks, never-contacted first, then the longest ago."""
    today = today or date.today()
    since = today - timedelta(weeks=weeks)
    wanted = list(dict.fromkeys(int(i) for i in person_ids))
    if not wanted:
        return []
    with ws.read_session() as session:
        names = dict(session.execute(select(S.c.id, S.c.name).where(S.c.id.in_(wanted))).all())
        contacts = contact_dates_in(session)
    last = {p: contacts[p].last for p in wanted if p in contacts}
    out = [
        NotContacted(p, names[p], last.get(p))
        for p in wanted
        if p in names and (last.get(p) is None or last[p] < since)
    ]
    return sorted(out, key=lambda n: (n.last is not None, n.last or date.min, n.name))
