"""Reading and writing one record of any table by the names the audit trail uses.

The trail names fields by attribute (``group``, not the column ``stakeholder_group``); a risk's
linked people are the pseudo-field ``people`` (rows of ``risk_stakeholder``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, insert, inspect, select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.services.audit import to_text
from cmio_desktop.services.conflicts import row_label

RISK_PEOPLE = ("risk", "people")
LINK = m.RiskStakeholder.__table__
SETTINGS = m.WorkspaceSetting.__table__


@cache
def entities() -> dict[str, type[m.Base]]:
    return {str(mapper.class_.__tablename__): mapper.class_ for mapper in m.Base.registry.mappers}


@cache
def attributes(entity: type[m.Base]) -> dict[str, str]:
    """Every field name the trail may use (attribute or column name) → the attribute."""
    names: dict[str, str] = {}
    for attr in inspect(entity).column_attrs:
        names[attr.columns[0].name] = attr.key
        names[attr.key] = attr.key
    return names


@cache
def references(entity: type[m.Base]) -> dict[str, str]:
    """Attribute → the table its foreign key points at."""
    found = {}
    for attr in inspect(entity).column_attrs:
        for fk in attr.columns[0].foreign_keys:
            found[attr.key] = fk.column.table.name
    return found


@cache
def cascades(entity: type[m.Base]) -> dict[str, str]:
    """Attribute → the table whose row's deletion deletes this row too."""
    found = {}
    for attr in inspect(entity).column_attrs:
        for fk in attr.columns[0].foreign_keys:
            if fk.ondelete == "CASCADE":
                found[attr.key] = fk.column.table.name
    return found


def is_synced_field(entity: str, name: str) -> bool:
    cls = entities().get(entity)
    return (entity, name) == RISK_PEOPLE or (cls is not None and name in attributes(cls))


def row_values(obj: m.Base) -> dict[str, Any]:
    """A record's fields without its id (a copy made elsewhere gets an id there)."""
    keys = {c.key for c in inspect(type(obj)).column_attrs if c.columns[0].primary_key}
    return {
        a.key: getattr(obj, a.key) for a in inspect(type(obj)).column_attrs if a.key not in keys
    }


def label(obj: Any, entity: str, ident: Any) -> str:
    return row_label(obj, entity, ident)


def field_value(
    session: Session, entity: str, ident: int | str, name: str, lock: bool = False
) -> tuple[bool, Any]:
    """(whether the record exists, the field's value) as stored now. ``lock``: hold the row
    until the transaction ends (``FOR UPDATE`` on a server; SQLite's write lock covers it)."""
    if entity == "workspace_setting":
        stmt = select(SETTINGS.c.value).where(SETTINGS.c.key == ident)
        row = session.execute(stmt.with_for_update() if lock else stmt).first()
        return True, (row[0] if row else None)  # a setting never set is simply absent
    obj = session.get(entities()[entity], ident, with_for_update=lock or None)
    if obj is None:
        return False, None
    if (entity, name) == RISK_PEOPLE:
        return True, linked_people(session, int(ident))
    return True, getattr(obj, attributes(type(obj))[name])


def linked_people(session: Session, risk_id: int) -> list[int] | None:
    """A risk's people as its audit rows write them: sorted ids, None for none."""
    stmt = select(LINK.c.stakeholder_id).where(LINK.c.risk_id == risk_id)
    return sorted(int(p) for p in session.scalars(stmt)) or None


def set_linked_people(session: Session, risk_id: int, people: list[int] | None) -> None:
    session.execute(delete(LINK).where(LINK.c.risk_id == risk_id))
    if people:
        session.execute(insert(LINK), [{"risk_id": risk_id, "stakeholder_id": p} for p in people])


def same_text(value: Any, text: str | None) -> bool:
    return to_text(value) == text


def exists_row(session: Session, entity: str, ident: int) -> bool:
    cls = entities()[entity]
    pk: ColumnElement[Any] = next(iter(cls.__table__.primary_key.columns))  # type: ignore[attr-defined]
    return bool(session.execute(select(exists().where(pk == ident))).scalar())
