"""The plan leaving the app: calendar events and mail drafts, as plain data for io/ to write.

* **Calendar**: one all-day event per activity (from its start, or its due date, to its due
  date), per send of each communication (its cadence expanded), and per course deadline. Each
  event's UID is built from the workspace's organisation stamp and the record's id (and the
  send date), so a re-export updates the events a calendar already holds instead of adding
  them again. Descriptions carry audience counts, never names.
* **Mail drafts**: one per communication, addressed to the people its audience text names
  (``analysis.audience_match``). People without an email address and audience words that name
  nobody are listed, never silently dropped. Nothing is sent: the user's mail client does that.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, func, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis.audience_match import AudiencePerson, match_audience
from cmio_desktop.analysis.cadence import occurrences
from cmio_desktop.enums import ActivityStatus, ActivityType, Cadence, Role
from cmio_desktop.io.calendar_file import CalendarEvent, CalendarExport
from cmio_desktop.io.mail_drafts import MailDraft
from cmio_desktop.services.errors import NotFoundError
from cmio_desktop.services.plan.activities import list_activities
from cmio_desktop.services.plan.communications import list_communications
from cmio_desktop.services.plan.facts import initiative_in
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__
CANCELLED = ActivityStatus.CANCELLED.value


@dataclass
class DraftSet:
    drafts: list[MailDraft] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """One sentence per communication that cannot reach all of its audience."""
        out = []
        for d in self.drafts:
            if d.unmatched:
                words = ", ".join(f"“{u}”" for u in d.unmatched)
                out.append(
                    f"“{d.audience}”: {words} names no department, group or role; "
                    "edit the audience or address those people by hand."
                )
            if d.without_email:
                shown = ", ".join(d.without_email[:5]) + (", …" if len(d.without_email) > 5 else "")
                n = len(d.without_email)
                who = "1 person has" if n == 1 else f"{n:,} people have"
                out.append(f"“{d.audience}”: {who} no email address ({shown}).")
            if not d.recipients and not d.unmatched and not d.without_email:
                out.append(f"“{d.audience}”: the audience has nobody in it.")
        return out


def _stamp(ws: Workspace) -> str:
    """A short, stable token for this workspace (its organisation's creation), for UIDs."""
    with ws.read_session() as session:
        row = session.execute(
            select(m.Organisation.id, m.Organisation.created_at).order_by(m.Organisation.id)
        ).first()
    seed = f"{row[0]}:{row[1].isoformat() if row and row[1] else ''}" if row else "none"
    return hashlib.sha1(seed.encode()).hexdigest()[:12]


def _initiative(ws: Workspace, initiative_id: int | None) -> tuple[int, str, date | None, str]:
    """Id, name, go-live and organisation of the initiative (default: the first one)."""
    with ws.read_session() as session:
        found = initiative_in(session, initiative_id)  # NotFoundError for an id that is gone
        organisation = session.scalar(select(m.Organisation.name).order_by(m.Organisation.id))
    if found is None:
        raise NotFoundError("The workspace has no initiative yet: add one first.")
    return found.id, found.name, found.go_live, str(organisation or "")


def calendar_events(ws: Workspace, initiative_id: int | None = None) -> CalendarExport:
    """Every dated activity, communication send and course deadline of the initiative."""
    initiative_id, name, go_live, organisation = _initiative(ws, initiative_id)
    stamp = _stamp(ws)
    events: list[CalendarEvent] = []
    skipped: list[str] = []
    for a in list_activities(ws, initiative_id):
        if a.status == CANCELLED:
            skipped.append(f"{a.title} (cancelled)")
            continue
        last = a.due or a.start
        if last is None:
            skipped.append(f"{a.title} (no date)")
            continue
        first = a.start if a.start and a.start <= last else last
        lines = [
            f"{ActivityType(a.type).label} · {a.status_label}",
            f"Audience: {a.audience_text or 'none set'} ({a.audience_size:,} people)",
        ]
        if a.owner:
            lines.append(f"Owner: {a.owner}")
        if a.element:
            lines.append(f"ADKAR: {a.element_label}")
        events.append(
            CalendarEvent(
                f"activity-{a.id}@{stamp}.cmio", "activity", a.title, first, last,
                "\n".join(lines), a.type_label,
            )
        )  # fmt: skip
    for c in list_communications(ws, initiative_id, go_live=go_live):
        for when in occurrences(c.cadence, c.start_date, c.end_date or go_live):
            events.append(
                CalendarEvent(
                    f"communication-{c.id}-{when.isoformat()}@{stamp}.cmio", "communication",
                    f"{c.channel or 'Message'}: {c.audience}", when, when,
                    f"{c.message}\nFrom: {c.sender or '—'} · {Cadence(c.cadence).label}",
                    "Communication",
                )
            )  # fmt: skip
    for course_id, course, role, due, required in _courses(ws, initiative_id):
        if due is None:
            continue
        who = Role(role).label if role else "everyone"
        events.append(
            CalendarEvent(
                f"course-{course_id}@{stamp}.cmio", "course", f"Training due: {course}", due, due,
                f"Required of {who}: {required:,} people must have completed it.", "Training",
            )
        )  # fmt: skip
    events.sort(key=lambda e: (e.start, e.kind, e.uid))
    return CalendarExport(f"{organisation} — {name}", events, skipped)


def _courses(ws: Workspace, initiative_id: int) -> list[tuple[int, str, str | None, date, int]]:
    C = m.TrainingCourse.__table__
    with ws.read_session() as session:
        counts = dict(
            session.execute(
                select(type_coerce(S.c.role, String), func.count()).group_by(S.c.role)
            ).all()
        )
        rows = session.execute(
            select(C.c.id, C.c.name, type_coerce(C.c.role, String), C.c.required_by).where(
                C.c.initiative_id == initiative_id
            )
        ).all()
    everyone = sum(counts.values())
    return [(i, n, r, d, counts.get(r, 0) if r else everyone) for i, n, r, d in rows]


def mail_drafts(ws: Workspace, initiative_id: int | None = None) -> DraftSet:
    """One draft per communication of the initiative, addressed from its audience text."""
    initiative_id, name, go_live, _organisation = _initiative(ws, initiative_id)
    with ws.read_session() as session:
        rows = session.execute(
            select(
                S.c.id, S.c.name, S.c.email, S.c.department,
                type_coerce(S.c.role, String), type_coerce(S.c.stakeholder_group, String),
            ).order_by(S.c.name, S.c.id)
        ).all()  # fmt: skip
    people = [AudiencePerson(int(i), d or "", r or "", g or "") for i, _n, _e, d, r, g in rows]
    contact = {int(i): (str(n), (e or "").strip()) for i, n, e, *_ in rows}
    drafts = DraftSet()
    for c in list_communications(ws, initiative_id, go_live=go_live):
        found = match_audience(c.audience, people)
        reached = [contact[i] for i in sorted(found.people, key=lambda i: contact[i][0])]
        subject = f"{name}: {_first_line(c.message)}"
        body = (
            f"{c.message}\n\n— {c.sender or 'The ' + name + ' team'}\n"
            f"(Audience: {c.audience}; {Cadence(c.cadence).label.lower()}"
            f"{', go-live ' + go_live.strftime('%d %b %Y') if go_live else ''})\n"
        )
        drafts.drafts.append(
            MailDraft(
                c.id, subject, body, c.sender, c.next_date or c.start_date,
                [(n, e) for n, e in reached if e], [n for n, e in reached if not e],
                c.audience, found.matched, found.unmatched,
            )
        )  # fmt: skip
    return drafts


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "update"
    return line if len(line) <= 90 else line[:89] + "…"
