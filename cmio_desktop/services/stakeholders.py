"""Stakeholder register use cases: read the register for display, edit, bulk edit, delete.

Reads use SQLAlchemy Core and return columns of plain values (no ORM objects), so the register
of 100,000 people loads in one pass; writes go through ``crud`` (audited, one transaction each).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import String, and_, bindparam, cast, func, inspect, select, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import models as m
from ..analysis.adkar import AdkarScores, ReadinessSettings, barrier_point, readiness
from ..analysis.grids import GridSettings, quadrant
from ..models.enums import Attitude, LabelledEnum, Role, StakeholderGroup
from ..store import Workspace
from . import crud
from .audit import AuditEntry, write_audit
from .errors import NotFoundError, ServiceError, describe_integrity_error

S = m.Stakeholder.__table__
A = m.Assessment.__table__
CHUNK = 20_000  # ids per IN (...) list, below SQLite's bound-parameter limit

#: The fields a user may edit, with the label used in messages and undo texts.
FIELD_LABELS: dict[str, str] = {
    "name": "name",
    "title": "title",
    "role": "role",
    "group": "group",
    "department": "department",
    "site": "site",
    "email": "email",
    "phone": "phone",
    "external_id": "external id",
    "notes": "notes",
    "is_body": "body/committee",
    "power": "influence",
    "interest": "interest",
    "attitude": "attitude",
    "desired_attitude": "desired attitude",
    "salience_power": "salience (power)",
    "salience_legitimacy": "salience (legitimacy)",
    "salience_urgency": "salience (urgency)",
    "physician_champion": "physician champion",
    "super_user": "super user",
    "custom_fields": "custom fields",
}
_MAX_LENGTH = {"name": 200, "title": 400, "department": 200, "site": 200, "email": 320,
               "phone": 60, "external_id": 100, "notes": 4000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_NULL_WHEN_BLANK = ("email", "external_id")
_BOOLS = ("is_body", "salience_power", "salience_legitimacy", "salience_urgency",
          "physician_champion", "super_user")
_FLAG_LABELS = (("physician_champion", "Champion"), ("super_user", "Super user"),
                ("is_body", "Body"))
GRID_THRESHOLD_KEY = "grid.high_threshold"


class FieldError(ServiceError):
    """A value the user typed is not acceptable; ``field`` names the offending field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


# -- validation -------------------------------------------------------------------------------


def validate(changes: dict[str, Any]) -> dict[str, str]:
    """Every problem with ``changes``, as field → sentence (empty when all is well)."""
    errors: dict[str, str] = {}
    for key, value in changes.items():
        try:
            _normalise_one(key, value)
        except FieldError as exc:
            errors[key] = str(exc)
    return errors


def normalise(changes: dict[str, Any]) -> dict[str, Any]:
    """Checked, typed values ready to store; raises FieldError on the first bad one."""
    return {key: _normalise_one(key, value) for key, value in changes.items()}


def _normalise_one(key: str, value: Any) -> Any:
    label = FIELD_LABELS.get(key)
    if label is None:
        raise FieldError(key, f"A stakeholder has no field '{key}'.")
    nice = label[:1].upper() + label[1:]
    if key in ("power", "interest"):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise FieldError(key, f"{nice} must be a whole number from 1 to 5.")
        return value
    if key in _BOOLS:
        return bool(value)
    if key in ("role", "group", "attitude", "desired_attitude"):
        enum_cls: type[LabelledEnum] = {"role": Role, "group": StakeholderGroup}.get(key, Attitude)
        if isinstance(value, enum_cls):
            return value
        try:
            return enum_cls.from_text(str(value or ""))
        except ValueError as exc:
            raise FieldError(key, f"{nice}: {exc}.") from None
    if key == "custom_fields":
        return _normalise_custom(value)
    text = "" if value is None else str(value).strip()
    if key == "name" and not text:
        raise FieldError(key, "Name is required.")
    if len(text) > _MAX_LENGTH[key]:
        raise FieldError(key, f"{nice} is too long (at most {_MAX_LENGTH[key]} characters).")
    if key == "email" and text and not _EMAIL.match(text):
        raise FieldError(key, f"'{text}' is not an email address (name@example.org).")
    if key in _NULL_WHEN_BLANK and not text:
        return None
    return text


def _normalise_custom(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FieldError("custom_fields", "Custom fields must be name/value pairs.")
    out: dict[str, Any] = {}
    for raw_key, raw_value in value.items():
        key = str(raw_key).strip()
        if not key:
            raise FieldError("custom_fields", "Every custom field needs a name.")
        if key in out:
            raise FieldError("custom_fields", f"The custom field '{key}' appears twice.")
        if raw_value is not None and not isinstance(raw_value, str | int | float | bool):
            raise FieldError("custom_fields", f"The value of '{key}' must be text or a number.")
        out[key] = raw_value.strip() if isinstance(raw_value, str) else raw_value
    return out


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterData:
    """The register as parallel columns (row i of every list is one person)."""

    initiative_id: int | None
    initiative_name: str
    grid: GridSettings
    ids: list[int] = field(default_factory=list)
    external_id: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)  # enum values
    group: list[str] = field(default_factory=list)
    department: list[str] = field(default_factory=list)
    site: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    power: list[int] = field(default_factory=list)
    interest: list[int] = field(default_factory=list)
    attitude: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # "Champion, Super user"
    quadrant: list[str] = field(default_factory=list)  # Quadrant values
    readiness: list[float | None] = field(default_factory=list)
    barrier: list[str | None] = field(default_factory=list)  # AdkarElement values

    def __len__(self) -> int:
        return len(self.ids)


_REGISTER_COLUMNS = (
    S.c.id, S.c.external_id, S.c.name, S.c.title,
    type_coerce(S.c.role, String), type_coerce(S.c.stakeholder_group, String),
    S.c.department, S.c.site, S.c.email, S.c.power, S.c.interest,
    type_coerce(S.c.attitude, String), S.c.physician_champion, S.c.super_user, S.c.is_body,
)


def register_rows(ws: Workspace, initiative_id: int | None = None,
                  ids: Sequence[int] | None = None) -> RegisterData:
    """The register (or just ``ids``) with each person's latest readiness for the initiative
    (default: the first initiative) and their Mendelow quadrant."""
    with ws.session() as session:
        initiative = _initiative(session, initiative_id)
        grid = grid_settings_in(session)
        rows: list[Any] = []
        for where in _id_chunks(ids):
            stmt = select(*_REGISTER_COLUMNS).order_by(S.c.id)
            rows += session.execute(stmt if where is None else stmt.where(where)).all()
        latest = _latest_scores(session, initiative[0], ids) if initiative[0] else {}
    return _columns(rows, latest, initiative, grid)


def _columns(rows: list[Any], latest: dict[int, tuple[int, ...]],
             initiative: tuple[int | None, str], grid: GridSettings) -> RegisterData:
    """Transpose rows into columns and derive quadrant, readiness and barrier point."""
    if not rows:
        return RegisterData(initiative[0], initiative[1], grid)
    (ids, ext, name, title, role, group, dept, site, email, power, interest, attitude,
     champion, super_user, body) = (list(c) for c in zip(*rows, strict=True))
    quadrants = {(p, i): quadrant(p, i, grid).value for p in range(1, 6) for i in range(1, 6)}
    settings = ReadinessSettings()
    derived: dict[tuple[int, ...] | None, tuple[float | None, str | None]] = {None: (None, None)}
    for scores in set(latest.values()):  # at most 5⁵ distinct patterns
        adkar = AdkarScores(*scores)
        element = barrier_point(adkar, settings.barrier_mode, settings.barrier_max)
        derived[scores] = (readiness(adkar), element.value if element else None)
    per_person = [derived[latest.get(i)] for i in ids]
    return RegisterData(
        initiative[0], initiative[1], grid,
        ids=ids,
        external_id=[v or "" for v in ext],
        name=name,
        title=[v or "" for v in title],
        role=role,
        group=group,
        department=[v or "" for v in dept],
        site=[v or "" for v in site],
        email=[v or "" for v in email],
        power=power,
        interest=interest,
        attitude=attitude,
        flags=list(map(_flags_text, champion, super_user, body)),
        quadrant=[quadrants[c] for c in zip(power, interest, strict=True)],
        readiness=[d[0] for d in per_person],
        barrier=[d[1] for d in per_person],
    )


def _flags_text(champion: bool, super_user: bool, body: bool) -> str:
    if not (champion or super_user or body):
        return ""
    values = {"physician_champion": champion, "super_user": super_user, "is_body": body}
    return ", ".join(label for key, label in _FLAG_LABELS if values[key])


def _initiative(session: Session, initiative_id: int | None) -> tuple[int | None, str]:
    stmt = select(m.Initiative.id, m.Initiative.name).order_by(m.Initiative.id).limit(1)
    if initiative_id is not None:
        stmt = stmt.where(m.Initiative.id == initiative_id)
    row = session.execute(stmt).first()
    if row is None:
        if initiative_id is not None:
            raise NotFoundError(f"That initiative no longer exists (id {initiative_id}).")
        return None, ""
    return row[0], row[1]


def _latest_scores(session: Session, initiative_id: int,
                   ids: Sequence[int] | None) -> dict[int, tuple[int, ...]]:
    """Each person's latest round: the latest date, then the highest id on that date."""
    latest_day = (
        select(A.c.stakeholder_id.label("sid"), func.max(A.c.assessed_on).label("day"))
        .where(A.c.initiative_id == initiative_id)
        .group_by(A.c.stakeholder_id)
    )
    result: dict[int, tuple[int, ...]] = {}
    for where in _id_chunks(ids, A.c.stakeholder_id):
        sub = (latest_day if where is None else latest_day.where(where)).subquery()
        stmt = (
            select(A.c.stakeholder_id, A.c.awareness, A.c.desire, A.c.knowledge, A.c.ability,
                   A.c.reinforcement)
            .join(sub, and_(sub.c.sid == A.c.stakeholder_id, sub.c.day == A.c.assessed_on))
            .where(A.c.initiative_id == initiative_id)
            .order_by(A.c.id)
        )
        for sid, *scores in session.execute(stmt):
            result[sid] = tuple(scores)  # a later id on the same day wins
    return result


def _id_chunks(ids: Sequence[int] | None, column: Any = None) -> Iterable[Any]:
    column = S.c.id if column is None else column
    if ids is None:
        yield None
        return
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield column.in_(ids[start:start + CHUNK])


def grid_settings(ws: Workspace) -> GridSettings:
    with ws.session() as session:
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


def get_stakeholder(ws: Workspace, ident: int) -> Any:
    """One person as a frozen record (every column)."""
    return crud.get(ws, m.Stakeholder, ident)


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

    with ws.session() as session:
        departments = values(session, S.c.department)
        sites = values(session, S.c.site)
        titles = values(session, S.c.title)
        keys: set[str] = set()
        stmt = select(S.c.custom_fields).where(cast(S.c.custom_fields, String) != "{}")
        for fields in session.scalars(stmt.limit(5000)):
            if isinstance(fields, dict):
                keys.update(fields)
    return DistinctValues(departments, sites, titles, sorted(keys, key=str.casefold))


# -- writing ----------------------------------------------------------------------------------


def create_stakeholder(ws: Workspace, **values: Any) -> Any:
    values = {"name": "New stakeholder", "role": Role.NURSE,
              "group": StakeholderGroup.FRONTLINE_CLINICIAN, **values}
    values = normalise(values)
    with ws.session() as session:
        org = session.scalar(select(m.Organisation.id).order_by(m.Organisation.id))
        if org is None:
            raise ServiceError("The workspace has no organisation to add people to.")
        return crud.create_in(session, m.Stakeholder, organisation_id=org, **values)


def duplicate_stakeholder(ws: Workspace, ident: int) -> Any:
    """A copy of the person (not their ties or assessments) without their external id."""
    source = get_stakeholder(ws, ident)
    skip = {"id", "external_id", "created_at", "updated_at"}
    values = {k: v for k, v in source.__dict__.items() if k not in skip}
    values["name"] = f"{source.name} (copy)"[:_MAX_LENGTH["name"]]
    values["custom_fields"] = dict(source.custom_fields or {})
    with ws.session() as session:
        return crud.create_in(session, m.Stakeholder, **values)


def update_stakeholder(ws: Workspace, ident: int, **changes: Any) -> Any:
    """Change fields of one person (audited); returns the updated record."""
    return crud.update(ws, m.Stakeholder, ident, **normalise(changes))


def set_custom_field(ws: Workspace, ident: int, key: str, value: Any) -> Any:
    """Set one custom field (``value`` None removes it)."""
    key = key.strip()
    if not key:
        raise FieldError("custom_fields", "Every custom field needs a name.")
    with ws.session() as session:
        current = dict(session.scalar(select(S.c.custom_fields).where(S.c.id == ident)) or {})
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
        return crud.update_in(session, m.Stakeholder, ident,
                              custom_fields=normalise({"custom_fields": current})["custom_fields"])


def _column_names(keys: Iterable[str]) -> dict[str, str]:
    attrs = inspect(m.Stakeholder).column_attrs
    return {key: attrs[key].columns[0].name for key in keys}


def bulk_update(ws: Workspace, ids: Sequence[int], **changes: Any) -> dict[int, dict[str, Any]]:
    """Set the same values on many people in one transaction; returns each person's old values
    of the changed fields (for ``restore_values``)."""
    if not changes:
        raise ServiceError("Choose at least one field to change.")
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ServiceError("Select at least one person.")
    values = normalise(changes)
    columns = _column_names(values)
    old: dict[int, dict[str, Any]] = {}
    with ws.session() as session:
        for where in _id_chunks(ids):
            stmt = select(S.c.id, *(S.c[columns[k]] for k in values)).where(where)
            for ident, *current in session.execute(stmt):
                old[ident] = dict(zip(values, current, strict=True))
        missing = len(ids) - len(old)
        if missing:
            raise NotFoundError(f"{missing:,} of the selected people no longer exist; "
                                "refresh and try again.")
        stored = {columns[k]: v for k, v in values.items()}
        try:
            for where in _id_chunks(ids):
                session.execute(update(S).where(where).values(stored))
        except IntegrityError as exc:
            raise ServiceError(describe_integrity_error(exc, "stakeholder")) from None
        write_audit(session, [
            AuditEntry("update", "stakeholder", ident, key, before[key], values[key])
            for ident, before in old.items() for key in values if before[key] != values[key]
        ])
    return old


def restore_values(ws: Workspace, old: dict[int, dict[str, Any]]) -> None:
    """Put back per-person values (undo of ``bulk_update``), audited, one transaction."""
    if not old:
        return
    by_keys: dict[tuple[str, ...], list[int]] = {}
    for ident, values in old.items():
        by_keys.setdefault(tuple(values), []).append(ident)
    with ws.session() as session:
        for keys, idents in by_keys.items():
            columns = _column_names(keys)
            current: dict[int, tuple[Any, ...]] = {}
            for where in _id_chunks(idents):
                stmt = select(S.c.id, *(S.c[columns[k]] for k in keys)).where(where)
                current.update({r[0]: tuple(r[1:]) for r in session.execute(stmt)})
            stmt = update(S).where(S.c.id == bindparam("_id")).values(
                {columns[k]: bindparam(f"_v_{k}") for k in keys}
            )
            params = [{"_id": i, **{f"_v_{k}": _plain(old[i][k]) for k in keys}}
                      for i in idents if i in current]
            try:
                if params:
                    session.execute(stmt, params)
            except IntegrityError as exc:
                raise ServiceError(describe_integrity_error(exc, "stakeholder")) from None
            write_audit(session, [
                AuditEntry("update", "stakeholder", i, k, current[i][n], old[i][k])
                for i in idents if i in current
                for n, k in enumerate(keys) if current[i][n] != old[i][k]
            ])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def delete_stakeholders(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    """Delete people and everything that hangs off them (ties, assessments…) for exact undo."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ServiceError("Select at least one person to delete.")
    return _dedupe(crud.delete_rows(ws, m.Stakeholder, ids))


def restore(ws: Workspace, snapshot: crud.DeletedSnapshot) -> None:
    """Undo a delete: the people and their ties come back with the same ids."""
    crud.restore(ws, snapshot)


def _dedupe(snapshot: crud.DeletedSnapshot) -> crud.DeletedSnapshot:
    """A tie between two deleted people is collected once per end; keep it once."""
    tables = m.Base.metadata.tables
    seen: set[tuple[str, tuple[Any, ...]]] = set()
    rows: list[tuple[str, list[dict[str, Any]]]] = []
    for name, table_rows in snapshot.rows:
        pk = [c.name for c in tables[name].primary_key.columns]
        kept = []
        for row in table_rows:
            key = (name, tuple(row[c] for c in pk))
            if key not in seen:
                seen.add(key)
                kept.append(row)
        rows.append((name, kept))
    return crud.DeletedSnapshot(rows=rows, nulled=list(snapshot.nulled))
