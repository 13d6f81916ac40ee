"""What a sync found and did: plain values for the CLI and the conflict dialog."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from cmio_desktop.services.changes import NOTHING, ChangeSet

Choice = Literal["mine", "theirs"]
CHOICES: tuple[Choice, ...] = ("mine", "theirs")
#: A conflict's kind: a field both sides changed; a record deleted offline but edited on the
#: server since checkout; a record edited offline but deleted on the server. (A record made
#: offline whose parent the server deleted cannot be kept: it is listed in ``skipped``.)
Kind = Literal["field", "deleted-here", "deleted-there"]
ConflictKey = tuple[str, "int | str", str]


@dataclass(frozen=True)
class Conflict:
    entity: str  # table name
    record_id: int | str  # the record's id (a setting's key)
    record: str  # as a user knows it: a name, a title, or "risk 12"
    field: str
    base: str | None  # at checkout
    mine: str | None  # in the offline copy now
    theirs: str | None  # on the server now
    changed_by: str | None = None  # the server's last change of it since checkout
    changed_at: datetime | None = None
    kind: Kind = "field"
    choice: Choice | None = None

    @property
    def key(self) -> ConflictKey:
        return (self.entity, self.record_id, self.field)

    def chosen(self, choice: Choice | None) -> Conflict:
        return replace(self, choice=choice)

    def as_dict(self) -> dict[str, object]:
        return {
            "entity": self.entity,
            "record_id": self.record_id,
            "record": self.record,
            "field": self.field,
            "kind": self.kind,
            "base": self.base,
            "mine": self.mine,
            "theirs": self.theirs,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat(sep=" ") if self.changed_at else None,
            "choice": self.choice,
        }


@dataclass(frozen=True)
class SyncReport:
    """``applied``: offline changes written on the server (a created record, a field, a delete).

    With a conflict left unchosen nothing was written (``pending``); otherwise the server has
    the changes and the offline copy was refreshed from it (``refreshed``)."""

    applied: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    created: dict[tuple[str, int], int] = field(default_factory=dict)  # (table, local) → server
    skipped: list[str] = field(default_factory=list)  # sentences: what could not be kept
    refreshed: bool = False
    sent_before: bool = False  # the changes had been sent by an earlier, interrupted run
    ready: int = 0  # with conflicts pending: how many changes would be sent with them settled

    @property
    def pending(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.choice is None]

    @property
    def changes(self) -> ChangeSet:
        """What the sync changed in the offline copy: everything, when it was refreshed."""
        return ChangeSet.everything() if self.refreshed else NOTHING

    def summary(self) -> str:
        if self.pending:
            n = len(self.pending)
            return (
                f"{n:,} conflict{'s' if n != 1 else ''} to choose; nothing was sent yet "
                f"({self.ready:,} other change{'s' if self.ready != 1 else ''} wait with them). "
                "Choose mine or theirs for each, then sync again."
            )
        if not self.applied and not self.conflicts:
            if self.refreshed:
                return "Nothing to send; the offline copy now matches the server."
            return "Nothing new to send or receive; the offline copy matches the server."
        parts = [f"{self.applied:,} change{'s' if self.applied != 1 else ''} sent"]
        if self.conflicts:
            mine = sum(c.choice == "mine" for c in self.conflicts)
            parts.append(f"{len(self.conflicts):,} conflicts settled ({mine:,} kept mine)")
        if self.refreshed:
            parts.append("the offline copy now matches the server")
        return "; ".join(parts) + "."
