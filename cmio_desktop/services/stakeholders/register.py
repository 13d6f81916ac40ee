"""Reading the stakeholder register for display: SQLAlchemy Core, plain columns out.

Reads return columns of plain values (no ORM objects), so the register of 100,000 people loads
in one pass (about a second here), with each person's latest readiness and Mendelow quadrant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import String, and_, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import AdkarScores, ReadinessSettings, barrier_point, readiness
from cmio_desktop.analysis.grids import GridSettings, quadrant
from cmio_desktop.services.analysis_settings import readiness_settings_in
from cmio_desktop.services.engagement.log import ContactDates, contact_dates_in
from cmio_desktop.services.initiatives import initiative_in
from cmio_desktop.stakeholder_fields import FIELDS, StakeholderField
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__
A = m.Assessment.__table__
CHUNK = 20_000  # ids per IN (...) list, below SQLite's bound-parameter limit
GRID_THRESHOLD_KEY = "grid.high_threshold"
_FLAG_LABELS = (
    ("physician_champion", "Champion"),
    ("super_user", "Super user"),
    ("is_body", "Body"),
)


#: The stored fields the register reads: those the register table or the workbook shows.
SHOWN_FIELDS = tuple(f for f in FIELDS if f.register is not None or f.workbook is not None)


def _empty_values() -> dict[str, list[Any]]:
    return {f.key: [] for f in SHOWN_FIELDS}


@dataclass(frozen=True)
class RegisterData:
    """The register as parallel columns (row i of every list is one person).

    ``values`` holds the stored fields of :data:`SHOWN_FIELDS` by key (text as "" when blank,
    list fields as their stored values); ``data.name`` reads ``values["name"]``.
    """

    initiative_id: int | None
    initiative_name: str
    grid: GridSettings
    ids: list[int] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=_empty_values)
    flags: list[str] = field(default_factory=list)  # "Champion, Super user"
    quadrant: list[str] = field(default_factory=list)  # Quadrant values
    readiness: list[float | None] = field(default_factory=list)
    barrier: list[str | None] = field(default_factory=list)  # AdkarElement values
    last_contact: list[date | None] = field(default_factory=list)  # from the engagement log
    next_contact: list[date | None] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)  # each row's version when read

    def __len__(self) -> int:
        return len(self.ids)

    def __getattr__(self, name: str) -> list[Any]:
        values = self.__dict__.get("values")
        if values is not None and name in values:
            return values[name]  # type: ignore[no-any-return]
        raise AttributeError(name)

    def columns(self) -> list[list[Any]]:
        """Every per-person list, in a fixed order (to copy or drop people position-wise)."""
        return [self.ids, *self.values.values(), self.flags, self.quadrant, self.readiness,
                self.barrier, self.last_contact, self.next_contact, self.versions]  # fmt: skip


def _stored(spec: StakeholderField) -> Any:
    column = S.c[spec.db_column]
    return (type_coerce(column, String) if spec.enum else column).label(spec.key)


_FLAG_COLUMNS = tuple(S.c[key] for key, _ in _FLAG_LABELS)
_REGISTER_COLUMNS = (S.c.id, *(_stored(f) for f in SHOWN_FIELDS), *_FLAG_COLUMNS, S.c.version)


def register_rows(
    ws: Workspace, initiative_id: int | None = None, ids: Sequence[int] | None = None
) -> RegisterData:
    """The register (or just ``ids``) with each person's latest readiness for the initiative
    (default: the first initiative) and their Mendelow quadrant."""
    with ws.read_session() as session:
        found = initiative_in(session, initiative_id)
        initiative = (None, "") if found is None else (found.id, found.name)
        grid = grid_settings_in(session)
        rows: list[Any] = []
        for where in id_chunks(ids):
            stmt = select(*_REGISTER_COLUMNS).order_by(S.c.id)
            rows += session.execute(stmt if where is None else stmt.where(where)).all()
        latest = latest_scores(session, initiative[0], ids) if initiative[0] else {}
        readiness_setup = readiness_settings_in(session)
        contacts = contact_dates_in(session)
    return _columns(rows, latest, initiative, grid, readiness_setup, contacts)


def _columns(
    rows: list[Any],
    latest: dict[int, tuple[int, ...]],
    initiative: tuple[int | None, str],
    grid: GridSettings,
    settings: ReadinessSettings | None = None,
    contacts: dict[int, ContactDates] | None = None,
) -> RegisterData:
    """Transpose rows into columns and derive quadrant, readiness and barrier point."""
    if not rows:
        return RegisterData(initiative[0], initiative[1], grid)
    ids, *stored = (list(c) for c in zip(*rows, strict=True))
    shown, (champion, super_user, body, versions) = (
        stored[: len(SHOWN_FIELDS)],
        stored[len(SHOWN_FIELDS) :],
    )
    values = {f.key: column for f, column in zip(SHOWN_FIELDS, shown, strict=True)}
    for spec in SHOWN_FIELDS:
        if spec.kind in ("text", "email"):
            values[spec.key] = ["" if v is None else v for v in values[spec.key]]
    power, interest = values["power"], values["interest"]
    quadrants = {(p, i): quadrant(p, i, grid).value for p in range(1, 6) for i in range(1, 6)}
    settings = settings or ReadinessSettings()
    derived: dict[tuple[int, ...] | None, tuple[float | None, str | None]] = {None: (None, None)}
    for scores in set(latest.values()):  # at most 5⁵ distinct patterns
        adkar = AdkarScores(*scores)
        element = barrier_point(adkar, settings.barrier_mode, settings.barrier_max)
        derived[scores] = (readiness(adkar), element.value if element else None)
    per_person = [derived[latest.get(i)] for i in ids]
    contacts = contacts or {}
    never = ContactDates(None, None)
    contact = [contacts.get(i, never) for i in ids]
    return RegisterData(
        initiative[0],
        initiative[1],
        grid,
        ids=ids,
        values=values,
        flags=list(map(_flags_text, champion, super_user, body)),
        quadrant=[quadrants[c] for c in zip(power, interest, strict=True)],
        readiness=[d[0] for d in per_person],
        barrier=[d[1] for d in per_person],
        last_contact=[c.last for c in contact],
        next_contact=[c.next for c in contact],
        versions=versions,
    )


NEEDS_CLASSIFICATION = "needs"


def classification_codes(data: RegisterData) -> list[str]:
    """Per person: ``"needs"`` when role or group is unclassified, else ``"classified"`` (the
    register's "Needs classification" filter compares with these)."""
    from cmio_desktop.io.classification import needs_classification

    return [
        NEEDS_CLASSIFICATION if needs_classification(role, group) else "classified"
        for role, group in zip(data.role, data.group, strict=True)
    ]


def _flags_text(champion: bool, super_user: bool, body: bool) -> str:
    if not (champion or super_user or body):
        return ""
    values = {"physician_champion": champion, "super_user": super_user, "is_body": body}
    return ", ".join(label for key, label in _FLAG_LABELS if values[key])


def latest_scores(
    session: Session, initiative_id: int, ids: Sequence[int] | None
) -> dict[int, tuple[int, ...]]:
    """Each person's latest round: the latest date, then the highest id on that date."""
    latest_day = (
        select(A.c.stakeholder_id.label("sid"), func.max(A.c.assessed_on).label("day"))
        .where(A.c.initiative_id == initiative_id)
        .group_by(A.c.stakeholder_id)
    )
    result: dict[int, tuple[int, ...]] = {}
    for where in id_chunks(ids, A.c.stakeholder_id):
        sub = (latest_day if where is None else latest_day.where(where)).subquery()
        stmt = (
            select(
                A.c.stakeholder_id,
                A.c.awareness,
                A.c.desire,
                A.c.knowledge,
                A.c.ability,
                A.c.reinforcement,
            )
            .join(sub, and_(sub.c.sid == A.c.stakeholder_id, sub.c.day == A.c.assessed_on))
            .where(A.c.initiative_id == initiative_id)
            .order_by(A.c.id)
        )
        for sid, *scores in session.execute(stmt):
            result[sid] = tuple(scores)  # a later id on the same day wins
    return result


def id_chunks(ids: Sequence[int] | None, column: Any = None) -> Iterable[Any]:
    column = S.c.id if column is None else column
    if ids is None:
        yield None
        return
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield column.in_(ids[start : start + CHUNK])


def grid_settings(ws: Workspace) -> GridSettings:
    with ws.read_session() as session:
        return grid_settings_in(session)


def grid_settings_in(session: Session) -> GridSettings:
    """The power/interest threshold stored with the workspace (default: high = 4–5)."""
    value = session.scalar(
        select(m.WorkspaceSetting.value).where(m.WorkspaceSetting.key == GRID_THRESHOLD_KEY)
    )
    try:
        return GridSettings(int(value)) if value is not None else GridSettings()
    except (TypeError, ValueError):
        return GridSettings()


@dataclass(frozen=True)
class DistinctValues:
    departments: list[str]
    sites: list[str]
    titles: list[str]
    custom_keys: list[str]


def distinct_values(ws: Workspace) -> DistinctValues:
    """Values in use, for filter combos and completers."""

    def values(session: Session, column: Any) -> list[str]:
        stmt = select(column).where(column.is_not(None), column != "").distinct()
        return sorted((v for v in session.scalars(stmt)), key=str.casefold)

    with ws.read_session() as session:
        departments = values(session, S.c.department)
        sites = values(session, S.c.site)
        titles = values(session, S.c.title)
        keys: set[str] = set()
        stmt = select(S.c.custom_fields).where(cast(S.c.custom_fields, String) != "{}")
        for fields in session.scalars(stmt.limit(5000)):
            if isinstance(fields, dict):
                keys.update(fields)
    return DistinctValues(departments, sites, titles, sorted(keys, key=str.casefold))
