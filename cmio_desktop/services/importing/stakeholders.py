"""Plan a stakeholder import: upsert by external ID, else by email (case-insensitive).

Each valid record is matched to at most one stored person:

* its external ID matches a person → that person (whose email, if the row gives one, must not
  belong to somebody else);
* otherwise its email matches exactly one person → that person, unless that person already has
  a *different* external ID (the row then names two people and is rejected);
* otherwise it is a new person.

Only the fields the file maps are compared or written. A blank cell clears optional text (title,
department, site, phone, notes, email) unless ``blank_keeps`` is chosen; a blank external ID,
list or score keeps what is stored (an ID is the round-trip key: it is changed, never erased,
by an import). New people get power (rated) and interest 3,
attitude Neutral, desired attitude Supportive.

Role and group: a value the file gives is written; otherwise the one inferred from the job
title (:mod:`cmio_desktop.io.classification`); otherwise the default chosen for the import;
otherwise "unclassified" — never a rejection. An inferred value fills in a stored person only
while their role or group is unclassified; it never overwrites a classification.

Possible duplicates: a row that would create a person, gives neither ID nor email, and has the
name (compared without case, accents or punctuation) of someone already in the register — and
their department, when both have one — is not created unless the import says so
(``ImportOptions.duplicates`` or ``create_rows``); the plan lists it either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.enums import Role, StakeholderGroup
from cmio_desktop.io.classification import words
from cmio_desktop.io.validation import StakeholderRecord
from cmio_desktop.models.base import utcnow
from cmio_desktop.services.importing.plan import (
    NEW,
    UNCHANGED,
    UPDATED,
    PlanContext,
    PlannedRow,
    PlanParts,
    PossibleDuplicate,
    compare,
)
from cmio_desktop.stakeholder_fields import FIELDS as STAKEHOLDER_FIELDS

S = m.Stakeholder.__table__

# record attribute (import name) → (column, label, how a blank cell is treated)
FIELDS: dict[str, tuple[str, str, str]] = {
    f.import_key: (f.db_column, f.words, f.blank) for f in STAKEHOLDER_FIELDS
}
LABELS = {column: label for column, label, _ in FIELDS.values()} | {
    "custom_fields": "custom fields"
}
MAX_LENGTH = {f.db_column: f.max_length for f in STAKEHOLDER_FIELDS if f.max_length is not None}
# A new person's values: (column, record key, is a flag, default); read from ``record.values``
# directly, as attribute access through ``StakeholderRecord.__getattr__`` costs ~1 µs a field.
_NEW_VALUES = [(f.db_column, f.import_key, f.kind == "flag", f.default) for f in STAKEHOLDER_FIELDS]
_STORED = [S.c.id, *(S.c[column] for column, _, _ in FIELDS.values()), S.c.custom_fields]


def plan_stakeholders(
    session: Session, records: Iterable[StakeholderRecord], ctx: PlanContext
) -> PlanParts:
    result = session.execute(select(*_STORED))
    keys = list(result.keys())
    existing = {row[0]: dict(zip(keys, row, strict=True)) for row in result.all()}
    by_id: dict[str, list[int]] = {}
    by_email: dict[str, list[int]] = {}
    for ident, row in existing.items():
        if row["external_id"]:
            by_id.setdefault(row["external_id"].casefold(), []).append(ident)
        if row["email"]:
            by_email.setdefault(row["email"].casefold(), []).append(ident)
    organisation_id = session.execute(
        select(m.Organisation.id).order_by(m.Organisation.id).limit(1)
    ).scalar()
    if organisation_id is None:
        from cmio_desktop.services.errors import ServiceError

        raise ServiceError("The workspace has no organisation; it may be damaged.")

    by_name: dict[str, list[int]] | None = None  # built on the first row without ID or email
    attributes = [a for a in FIELDS if _is_mapped(a, ctx.mapped)]
    limited = [(a, MAX_LENGTH[FIELDS[a][0]]) for a in attributes if FIELDS[a][0] in MAX_LENGTH]
    parts = PlanParts()
    claimed: dict[int, int] = {}  # person id → the file row that matched them
    now = utcnow()
    for record in records:
        if not _lengths_ok(record, limited, ctx):
            continue
        target = _match(record, existing, by_id, by_email, ctx)
        if target is False:
            continue
        label = _label(record)
        if target is None:
            if by_name is None and not (record.external_id or record.email):
                by_name = {}
                for ident, row in existing.items():
                    by_name.setdefault(person_key(row["name"]), []).append(ident)
            twin = _possible_duplicate(record, existing, by_name or {})
            if twin is not None:
                create = ctx.options.duplicates == "create" or record.row in ctx.options.create_rows
                parts.duplicates.append(
                    PossibleDuplicate(record.row, label, twin, _who(existing[twin]), create)
                )
                if not create:
                    continue
            values, inferred = _new_values(record, organisation_id, now, ctx)
            parts.new.append(PlannedRow(record.row, NEW, label, None, values, (), inferred))
            continue
        first = claimed.setdefault(target, record.row)
        if first != record.row:
            ctx.reject(
                record.row,
                "external_id" if record.external_id else "email",
                record.external_id or record.email,
                f"matches the same person as row {first} ({existing[target]['name']})",
            )
            continue
        wanted = _update_values(record, attributes, ctx)
        inferred = _fill_classification(record, existing[target], wanted)
        if record.custom is not None:
            custom = _merged_custom(existing[target]["custom_fields"], record.custom, ctx)
            if custom != (existing[target]["custom_fields"] or {}):
                wanted["custom_fields"] = custom
        changes = compare(existing[target], wanted, LABELS)
        if changes:
            values = {c.column: c.new for c in changes}
            inferred = tuple((c, r) for c, r in inferred if c in values)
            parts.updated.append(
                PlannedRow(record.row, UPDATED, label, target, values, changes, inferred)
            )
        else:
            parts.unchanged.append(PlannedRow(record.row, UNCHANGED, label, target))
    parts.missing = [(i, _who(row)) for i, row in existing.items() if i not in claimed]
    return parts


def name_key(name: str) -> str:
    """How departments are compared: no case, accents or punctuation."""
    return " ".join(words(name))


# Honorifics and degrees that say nothing about who someone is ("Dr. Jane Smith, MD").
NAME_TITLES = frozenset(
    {
        "dr",
        "doctor",
        "prof",
        "professor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "sir",
        "dame",
        "rev",
        "md",
        "phd",
        "rn",
        "mbbs",
        "frcp",
        "frcs",
        "jr",
        "sr",
    }
)


def person_key(name: str) -> str:
    """How names are compared for possible duplicates: no case, accents, punctuation, titles
    or word order, so "Dr. Jane Smith", "SMITH, Jane" and "jane smith" are one person."""
    found = words(name)
    kept = [w for w in found if w not in NAME_TITLES] or found
    return " ".join(sorted(kept))


def _possible_duplicate(
    record: StakeholderRecord, existing: dict[int, Any], by_name: dict[str, list[int]]
) -> int | None:
    """The stored person this new row may well be, or ``None``."""
    if record.external_id or record.email:
        return None
    department = name_key(record.department or "")
    for ident in by_name.get(person_key(record.name), []):
        stored = name_key(existing[ident]["department"] or "")
        if not department or not stored or stored == department:
            return ident
    return None


def _fill_classification(
    record: StakeholderRecord, stored: Any, wanted: dict[str, Any]
) -> tuple[tuple[str, str], ...]:
    """Inferred role/group fill in a stored person only where they are unclassified."""
    inferred = []
    for attribute, column in (("role", "role"), ("group", "stakeholder_group")):
        reason = getattr(record, f"{attribute}_reason")
        value = getattr(record, attribute)
        if not reason:
            continue  # read from the file: _update_values has it
        wanted.pop(column, None)
        if value is not None and stored[column] == "unclassified":
            wanted[column] = value
            inferred.append((column, reason))
    return tuple(inferred)


def _merged_custom(
    stored: dict[str, Any] | None, given: dict[str, Any], ctx: PlanContext
) -> dict[str, Any]:
    """Stored custom fields with the file's columns applied; fields it has no column for stay.

    A blank cell removes the field (kept with ``blank_keeps``).
    """
    merged = dict(stored or {})
    for name, value in given.items():
        if value is not None:
            merged[name] = value
        elif not ctx.keeps_blank():
            merged.pop(name, None)
    return merged


def _is_mapped(attribute: str, mapped: frozenset[str]) -> bool:
    if attribute == "name":
        return True
    return attribute in mapped


def _label(record: StakeholderRecord) -> str:
    return f"{record.name} ({record.external_id})" if record.external_id else record.name


def _lengths_ok(
    record: StakeholderRecord, limited: list[tuple[str, int]], ctx: PlanContext
) -> bool:
    ok = True
    given = record.values
    for attribute, limit in limited:
        value = given[attribute]
        if value is not None and len(value) > limit:
            field = attribute
            if attribute == "name" and "name" not in ctx.mapped:
                field = "first_name"
            ctx.reject(
                record.row,
                field,
                value[:60] + "…",
                f"is too long ({len(value):,} characters; at most {limit:,})",
            )
            ok = False
    return ok


def _match(
    record: StakeholderRecord,
    existing: dict[int, Any],
    by_id: dict[str, list[int]],
    by_email: dict[str, list[int]],
    ctx: PlanContext,
) -> int | None | bool:
    """The stored person's id, ``None`` for a new person, ``False`` if the row was rejected."""
    email_owners = by_email.get(record.email.casefold(), []) if record.email else []
    if record.external_id:
        ids = by_id.get(record.external_id.casefold(), [])
        if len(ids) > 1:
            ctx.reject(
                record.row,
                "external_id",
                record.external_id,
                f"{len(ids)} people in the register have this ID",
            )
            return False
        if ids:
            target = ids[0]
            others = [i for i in email_owners if i != target]
            if others:
                owner = existing[others[0]]
                ctx.reject(
                    record.row,
                    "email",
                    record.email,
                    f"belongs to {_who(owner)}, not to the person with ID {record.external_id} "
                    f"({existing[target]['name']})",
                )
                return False
            return target
    if not email_owners:
        return None
    if len(email_owners) > 1:
        ctx.reject(
            record.row,
            "email",
            record.email,
            f"{len(email_owners)} people in the register share this email; "
            "add an External ID column to tell them apart",
        )
        return False
    owner = existing[email_owners[0]]
    if record.external_id and owner["external_id"]:
        ctx.reject(
            record.row,
            "email",
            record.email,
            f"belongs to {_who(owner)}, but this row's ID is {record.external_id}",
        )
        return False
    return email_owners[0]


def _who(row: Any) -> str:
    return f"{row['name']} (ID {row['external_id']})" if row["external_id"] else row["name"]


def _update_values(
    record: StakeholderRecord, attributes: list[str], ctx: PlanContext
) -> dict[str, Any]:
    keep_blank = ctx.keeps_blank()
    wanted: dict[str, Any] = {}
    for attribute in attributes:
        column, _, blank = FIELDS[attribute]
        value = getattr(record, attribute)
        if value is None:
            if blank == "keep" or keep_blank:
                continue
            value = "" if blank == "text" else None
        wanted[column] = value
    return wanted


def _new_values(
    record: StakeholderRecord, organisation_id: int, now: Any, ctx: PlanContext
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """The row to insert, and which of its role/group were not read from the file, and why."""
    options = ctx.options
    role, role_why = _decide(
        record.role, record.role_reason, options.default_role, Role.UNCLASSIFIED
    )
    group, group_why = _decide(
        record.group, record.group_reason, options.default_group, StakeholderGroup.UNCLASSIFIED
    )
    inferred = tuple(
        (column, why)
        for column, why in (("role", role_why), ("stakeholder_group", group_why))
        if why
    )
    given = record.values
    values = {}
    for column, key, is_flag, default in _NEW_VALUES:
        value = given[key]
        if is_flag:
            value = bool(value)
        elif value is None or value == "":
            value = default
        values[column] = value
    return {
        **values,
        "organisation_id": organisation_id,
        "role": role,
        "stakeholder_group": group,
        "custom_fields": {k: v for k, v in (record.custom or {}).items() if v is not None},
        "created_at": now,
        "updated_at": now,
    }, inferred


def _decide(value: Any, reason: str, default: Any, unclassified: Any) -> tuple[Any, str]:
    """File value, else inferred, else the import's default, else unclassified."""
    if value is not None:
        return value, reason
    if default is not None:
        return default, f"the default for new people ({reason})"
    return unclassified, f"needs classification: {reason}"
