"""Sending an offline copy's edits back to the team workspace it was checked out from.

One run is one server transaction (and one local one): the offline changes are read from the
copy's audit trail (:mod:`offline_changes`), then, on the server,

1. records made offline are inserted with the server's next ids, parents first, and the
   references of later offline rows remapped to those ids;
2. each field edited offline is written where the server still holds the value the copy had
   at checkout; where it holds something else, that is a :class:`Conflict`;
3. records deleted offline are deleted where the server's audit trail shows no change to them
   since checkout; else a conflict.

A conflict left without a choice (``mine`` or ``theirs``) rolls the run back: the report lists
them and nothing was written. Otherwise the server records how far this copy was sent (so a
re-run never sends twice), its audit rows name the offline editor, and the copy is refilled
from the server (keeping its origin) before either transaction commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.models import AuditEvent
from cmio_desktop.services import crud
from cmio_desktop.services.analysis_settings import put_values_in
from cmio_desktop.services.audit import AuditEntry, recorded_by, to_text, write_audit
from cmio_desktop.services.errors import ServiceError, describe_integrity_error
from cmio_desktop.services.team import records as rec
from cmio_desktop.services.team.copying import clear, copy_rows
from cmio_desktop.services.team.offline_changes import SETTING, RecordTrail, read_offline_changes
from cmio_desktop.services.team.origin import (
    Origin,
    audit_mark,
    audit_time,
    read_origin,
    record_sent,
    sent_through,
    write_origin,
)
from cmio_desktop.services.team.report import Choice, Conflict, ConflictKey, SyncReport
from cmio_desktop.store import Workspace
from cmio_desktop.store.errors import is_storage_failure, storage_problem

Choices = Mapping[ConflictKey, Choice] | Choice | None
WHOLE = "(record)"  # the field of a conflict about a whole record
_NOT_SENT = object()  # a reference to a record made offline that was not sent


class SyncError(ServiceError):
    """The sync could not finish; nothing was written on either side."""


class _Pending(Exception):
    def __init__(self, report: SyncReport) -> None:
        self.report = report


def sync(local_ws: Workspace, server_ws: Workspace, choices: Choices = None) -> SyncReport:
    """Send ``local_ws``'s offline edits to ``server_ws`` (its origin) and refresh the copy."""
    try:
        with local_ws.session() as local:  # held throughout: no edit slips in before the refresh
            origin = read_origin(local)
            if origin is None:
                raise SyncError(
                    f"{local_ws.name} is not an offline copy of a team workspace, so there is "
                    "nothing to sync (make one with `cmio checkout`)."
                )
            try:
                with server_ws.session() as server:
                    report = _Run(local, server, origin, choices).run()
                    if report.pending:
                        raise _Pending(report)  # roll back: a conflict needs a choice
                    return report
            except _Pending as pending:
                return pending.report
    except IntegrityError as exc:
        raise SyncError(_stopped(describe_integrity_error(exc, "record"))) from None
    except SyncError:
        raise
    except ServiceError as exc:
        raise SyncError(_stopped(str(exc))) from None
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        if is_storage_failure(exc):
            raise SyncError(
                f"This offline copy could not be written ({storage_problem(exc)}). Sync again "
                "once that is fixed: what reached the server is never sent twice."
            ) from None
        raise SyncError(
            f"The team workspace could not be reached or stopped answering ({reason}). Nothing "
            "was sent; this offline copy is unchanged and keeps working."
        ) from None


def _stopped(reason: str) -> str:
    return (
        f"The sync stopped and nothing was sent (the server and this offline copy are "
        f"unchanged): {reason}"
    )


@dataclass
class _Run:
    local: Session
    server: Session
    origin: Origin
    choices: Choices

    def run(self) -> SyncReport:
        self.start = audit_mark(self.server)  # server changes since checkout: (mark, start]
        already = sent_through(self.server, self.origin, self.local)
        changes = read_offline_changes(self.local, max(self.origin.audit_mark, already))
        self.ids: dict[tuple[str, int], int] = {}
        self.conflicts: list[Conflict] = []
        self.skipped: list[str] = []
        self.applied = 0
        if not changes and self.start == self.origin.audit_mark:
            return SyncReport(sent_before=already > 0)  # nothing new on either side
        known = [t for t in changes.trails if t.entity in rec.entities()]
        self.made = {(t.entity, t.ident) for t in known if t.made_offline}
        made = [t for t in known if t.made_offline and self._exists_here(t)]
        kept = [t for t in known if not t.made_offline and self._exists_here(t)]
        gone = [t for t in known if not t.made_offline and not self._exists_here(t)]
        self._create(made)
        self._copy_links(made)
        for trail in kept:
            self._update(trail)
        self.gone = {(t.entity, t.ident) for t in gone}
        for trail in gone:
            self._delete(trail)
        report = SyncReport(
            self.applied, self.conflicts, dict(self.ids), self.skipped, sent_before=already > 0
        )
        if report.pending:  # rolled back by the caller: nothing applied, nothing created
            return SyncReport(0, self.conflicts, {}, self.skipped, ready=self.applied)
        if changes:
            record_sent(
                self.server,
                self.origin,
                changes.through,
                audit_mark(self.server),
                last_sent_at=audit_time(self.local, changes.through),
                at=datetime.now().isoformat(timespec="seconds"),
            )
        self._refresh_copy()
        return replace(report, refreshed=True)

    # -- the three kinds of change ----------------------------------------------------------

    def _create(self, trails: list[RecordTrail]) -> None:
        order = {t.name: i for i, t in enumerate(m.Base.metadata.sorted_tables)}
        for trail in sorted(trails, key=lambda t: (order.get(t.entity, 0), t.ident)):
            self._create_one(trail)

    def _create_one(self, trail: RecordTrail) -> int | None:
        cls = rec.entities()[trail.entity]
        obj = self.local.get(cls, trail.ident)
        assert obj is not None
        values = rec.row_values(obj)
        for name, table in rec.references(cls).items():
            if values[name] is None:
                continue  # an optional reference left empty
            target = self._server_id(table, values[name])
            if target is None:
                self.skipped.append(
                    f"{rec.label(obj, trail.entity, trail.ident)} ({trail.entity.replace('_', ' ')}"
                    f") was not sent: the {table.replace('_', ' ')} it belongs to was deleted on "
                    "the server."
                )
                return None
            values[name] = target
        with recorded_by(trail.last.user):
            made = crud.create_in(self.server, cls, **values)
        self.ids[(trail.entity, int(trail.ident))] = int(made.id)
        self.applied += 1
        return int(made.id)

    def _copy_links(self, trails: list[RecordTrail]) -> None:
        """A risk made offline takes its linked people along (an existing risk's links travel
        as its audited ``people`` field)."""
        risks = [int(t.ident) for t in trails if t.entity == "risk"]
        for risk_id in risks:
            there = self.ids.get(("risk", risk_id))
            people = rec.linked_people(self.local, risk_id) or []
            mapped = [self._server_id("stakeholder", p) for p in people]
            if there is not None and people:
                rec.set_linked_people(self.server, there, sorted(p for p in mapped if p))

    def _update(self, trail: RecordTrail) -> None:
        lost: list[tuple[str, Any]] = []  # fields edited here of a record deleted there
        for name, base in trail.bases.items():
            if trail.entity != SETTING and not rec.is_synced_field(trail.entity, name):
                continue
            _, mine_here = rec.field_value(self.local, trail.entity, trail.ident, name)
            if rec.same_text(mine_here, base):
                continue  # edited and edited back
            mine = self._remapped(trail.entity, name, mine_here)
            if mine is _NOT_SENT:
                self.skipped.append(
                    f"{self._label(trail)}: {name.replace('_', ' ')} was not sent: it names a "
                    "record made offline that could not be sent."
                )
                continue
            found, theirs = rec.field_value(self.server, trail.entity, trail.ident, name, lock=True)
            if not found:
                lost.append((name, mine))
            elif rec.same_text(theirs, to_text(mine)):
                continue  # the server has it already
            elif rec.same_text(theirs, base):
                self._write_field(trail, name, mine)
            else:
                conflict = self._conflict(trail, name, base, mine, theirs, "field")
                if conflict.choice == "mine":
                    self._write_field(trail, name, mine)
        if lost:
            mine_text = ", ".join(f"{n}: {to_text(v)}" for n, v in lost)
            conflict = self._conflict(trail, WHOLE, None, mine_text, None, "deleted-there")
            if conflict.choice == "mine":
                self._create_one(trail)  # made again, under a new id

    def _delete(self, trail: RecordTrail) -> None:
        if trail.entity == SETTING:
            return  # a setting's edits never delete it
        cls = rec.entities()[trail.entity]
        there = self.server.get(cls, trail.ident, with_for_update=True)
        if there is None:
            return  # gone there too: nothing to do
        for name, table in rec.cascades(cls).items():
            if (table, getattr(there, name)) in self.gone:
                return  # removed with the record it belongs to (or kept with it)
        edited = self._server_edits(trail.entity, trail.ident)
        if edited:
            fields = sorted({e.field or e.action for e in edited})
            theirs = "changed: " + ", ".join(fields)
            conflict = self._conflict(trail, WHOLE, None, "deleted", theirs, "deleted-here")
            if conflict.choice != "mine":
                return
        with recorded_by(trail.last.user):
            crud.delete_rows_in(self.server, cls, [trail.ident])
        self.applied += 1

    # -- helpers -----------------------------------------------------------------------------

    def _exists_here(self, trail: RecordTrail) -> bool:
        if trail.entity == SETTING:
            return True
        if trail.entity not in rec.entities():
            return False
        return rec.exists_row(self.local, trail.entity, int(trail.ident))

    def _server_id(self, table: str, local_id: Any) -> int | None:
        """The server's id for a record the copy names ``local_id`` (None: not on the server)."""
        if local_id is None:
            return None
        mapped = self.ids.get((table, int(local_id)))
        if mapped is not None or (table, int(local_id)) in self.made:
            return mapped  # made offline: the server knows it by its new id, or not at all
        return int(local_id) if rec.exists_row(self.server, table, int(local_id)) else None

    def _remapped(self, entity: str, name: str, value: Any) -> Any:
        """Ids of records made offline, as the server numbers them."""
        if (entity, name) == rec.RISK_PEOPLE and value:
            people = [self._server_id("stakeholder", p) for p in value]
            return sorted(p for p in people if p is not None) or None
        if entity == SETTING or value is None:
            return value
        cls = rec.entities()[entity]
        table = rec.references(cls).get(rec.attributes(cls)[name])
        if table is None:
            return value
        if (table, int(value)) in self.made:
            return self.ids.get((table, int(value)), _NOT_SENT)
        return value

    def _write_field(self, trail: RecordTrail, name: str, value: Any) -> None:
        with recorded_by(trail.edit_of(name).user):
            if trail.entity == SETTING:
                put_values_in(self.server, "", {str(trail.ident): value})
            elif (trail.entity, name) == rec.RISK_PEOPLE:
                old = rec.linked_people(self.server, int(trail.ident))
                rec.set_linked_people(self.server, int(trail.ident), value)
                entry = AuditEntry("update", "risk", int(trail.ident), "people", old, value)
                write_audit(self.server, [entry])
            else:
                cls = rec.entities()[trail.entity]
                crud.update_in(self.server, cls, trail.ident, **{rec.attributes(cls)[name]: value})
        self.applied += 1

    def _server_edits(self, entity: str, ident: int | str, name: str | None = None) -> list[Any]:
        """The server's audit rows about a record (a field) since checkout, newest first."""
        stmt = select(AuditEvent).where(
            AuditEvent.id > self.origin.audit_mark,
            AuditEvent.id <= self.start,
            AuditEvent.entity == entity,
        )
        if entity == SETTING:
            stmt = stmt.where(AuditEvent.field == str(ident))
        else:
            stmt = stmt.where(AuditEvent.entity_id == int(ident))
            if name is not None and name != WHOLE:
                stmt = stmt.where(AuditEvent.field == name)
        return list(self.server.scalars(stmt.order_by(AuditEvent.id.desc())))

    def _conflict(
        self, trail: RecordTrail, name: str, base: Any, mine: Any, theirs: Any, kind: Any
    ) -> Conflict:
        edits = self._server_edits(trail.entity, trail.ident, name) or self._server_edits(
            trail.entity, trail.ident
        )
        last = edits[0] if edits else None
        conflict = Conflict(
            trail.entity,
            trail.ident,
            self._label(trail),
            name,
            base if isinstance(base, str) or base is None else to_text(base),
            to_text(mine),
            to_text(theirs),
            last.user if last else None,
            last.at if last else None,
            kind,
        )
        conflict = conflict.chosen(self._choice(conflict))
        self.conflicts.append(conflict)
        return conflict

    def _choice(self, conflict: Conflict) -> Choice | None:
        if isinstance(self.choices, str):
            return self.choices
        return self.choices.get(conflict.key) if self.choices else None

    def _label(self, trail: RecordTrail) -> str:
        if trail.entity == SETTING:
            return f"setting {trail.ident}"
        cls = rec.entities()[trail.entity]
        obj = self.local.get(cls, trail.ident) or self.server.get(cls, trail.ident)
        return rec.label(obj, trail.entity, trail.ident)

    def _refresh_copy(self) -> None:
        """The copy becomes the server's rows (its own edits now among them), origin kept."""
        clear(self.local)
        self.local.expunge_all()
        copy_rows(self.server, self.local)
        write_origin(self.local, replace(self.origin, audit_mark=audit_mark(self.server)))
