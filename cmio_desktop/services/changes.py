"""What a write changed, as typed values: every service write returns a :class:`ChangeSet`
(or a result that carries one), the UI facade announces it, and each page refreshes when the
change touches the kinds it declares it depends on.

No Qt and no SQLAlchemy here, so services, the CLI and the UI can all use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ChangeKind(StrEnum):
    """The kinds of data a write can change (values are the table names they stand for)."""

    STAKEHOLDER = "stakeholder"  # people, their custom fields included
    RELATIONSHIP = "relationship"  # ties
    ASSESSMENT = "assessment"  # readiness rounds
    ACTIVITY = "activity"  # plan activities and their audiences
    COMMUNICATION = "communication"
    TRAINING = "training"  # courses and completion records
    RISK = "risk"  # risks and the people linked to them
    DECISION = "decision"
    REQUEST = "request"
    CRITERION = "golive_criterion"  # go/no-go criteria
    INITIATIVE = "initiative"
    PHASE = "phase"
    MILESTONE = "milestone"
    WORKSPACE_SETTING = "workspace_setting"  # readiness, forecast and plan settings
    ENGAGEMENT = "engagement_entry"  # the engagement log and its commitments
    IMPACT = "change_impact"  # change impact ratings
    SUPER_USER = "super_user_assignment"  # the super-user roster
    EVERYTHING = "*"  # reload all: a restore, another program's commit


#: Which kind each table's rows are (audit rows are no one's data).
TABLE_KINDS: dict[str, ChangeKind] = {
    "organisation": ChangeKind.STAKEHOLDER,
    "stakeholder": ChangeKind.STAKEHOLDER,
    "relationship": ChangeKind.RELATIONSHIP,
    "assessment": ChangeKind.ASSESSMENT,
    "activity": ChangeKind.ACTIVITY,
    "activity_audience": ChangeKind.ACTIVITY,
    "communication": ChangeKind.COMMUNICATION,
    "training_course": ChangeKind.TRAINING,
    "training_completion": ChangeKind.TRAINING,
    "risk": ChangeKind.RISK,
    "risk_stakeholder": ChangeKind.RISK,
    "decision": ChangeKind.DECISION,
    "request": ChangeKind.REQUEST,
    "golive_criterion": ChangeKind.CRITERION,
    "initiative": ChangeKind.INITIATIVE,
    "phase": ChangeKind.PHASE,
    "milestone": ChangeKind.MILESTONE,
    "workspace_setting": ChangeKind.WORKSPACE_SETTING,
    "engagement_entry": ChangeKind.ENGAGEMENT,
    "engagement_commitment": ChangeKind.ENGAGEMENT,
    "change_impact": ChangeKind.IMPACT,
    "super_user_assignment": ChangeKind.SUPER_USER,
}


def kind_of_table(table: str) -> ChangeKind:
    """The kind of ``table``'s rows; a table not listed reloads everything (never stale)."""
    return TABLE_KINDS.get(table, ChangeKind.EVERYTHING)


@dataclass(frozen=True)
class ChangeSet:
    """The kinds a write changed and, where known, the ids of the rows it wrote."""

    kinds: frozenset[ChangeKind]
    ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, *kinds: ChangeKind | str, ids: Iterable[int] = ()) -> ChangeSet:
        return cls(frozenset(ChangeKind(k) for k in kinds), frozenset(int(i) for i in ids))

    @classmethod
    def everything(cls) -> ChangeSet:
        return cls(frozenset({ChangeKind.EVERYTHING}))

    @classmethod
    def of_tables(cls, tables: Iterable[str], ids: Iterable[int] = ()) -> ChangeSet:
        return cls.of(*(kind_of_table(t) for t in tables), ids=ids)

    @property
    def is_everything(self) -> bool:
        return ChangeKind.EVERYTHING in self.kinds

    def touches(self, kinds: Iterable[ChangeKind]) -> bool:
        """Whether a view that depends on ``kinds`` must refresh after this change."""
        wanted = frozenset(kinds)
        return bool(wanted) and (self.is_everything or not self.kinds.isdisjoint(wanted))

    def union(self, *others: ChangeSet) -> ChangeSet:
        kinds, ids = set(self.kinds), set(self.ids)
        for other in others:
            kinds |= other.kinds
            ids |= other.ids
        return ChangeSet(frozenset(kinds), frozenset(ids))

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return self.union(other)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def __str__(self) -> str:
        return ", ".join(sorted(self.kinds)) or "nothing"


NOTHING = ChangeSet(frozenset())


@dataclass(frozen=True)
class Written(Generic[T]):
    """A write's plain result (a new id, the previous values for undo…) with what it changed."""

    value: T
    changes: ChangeSet


def changes_of(result: Any) -> ChangeSet:
    """The ChangeSet a write returned, itself or carried (``result.changes``)."""
    if isinstance(result, ChangeSet):
        return result
    changes = getattr(result, "changes", None)
    if isinstance(changes, ChangeSet):
        return changes
    raise TypeError(f"A write returned {type(result).__name__}, which carries no ChangeSet.")
