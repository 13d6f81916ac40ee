"""Analysis settings stored with the workspace (table ``workspace_setting``), audited.

Readiness settings live under ``readiness.<field>`` (the keys ``services/network.py`` reads as
well), forecast settings under ``forecast.<name>`` (see ``forecast_service``). Values are
plain JSON scalars; a missing key means the ``MODELS.md`` default. Every write records the old
and new value in the audit trail in the same transaction, and returns the old values so that
an undo can put them back (``None`` = the key was absent: undo removes it again).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.store import Workspace

READINESS_PREFIX = "readiness."
READINESS_KEYS = ("ready_threshold", "barrier_mode", "barrier_max")
W = m.WorkspaceSetting.__table__


def stored_values(session: Session, prefix: str) -> dict[str, Any]:
    """``{name: value}`` for every stored key starting with ``prefix`` (prefix removed)."""
    rows = session.execute(select(W.c.key, W.c.value).where(W.c.key.startswith(prefix)))
    return {key[len(prefix) :]: value for key, value in rows}


def put_values(ws: Workspace, prefix: str, values: Mapping[str, Any]) -> Written[dict[str, Any]]:
    """Store ``values`` (``None`` removes a key) in one transaction with its audit rows.
    Returns the previous value of every key given (``None`` where there was none)."""
    with ws.session() as session:
        old = put_values_in(session, prefix, values)
    return Written(old, ChangeSet.of(ChangeKind.WORKSPACE_SETTING))


def put_values_in(session: Session, prefix: str, values: Mapping[str, Any]) -> dict[str, Any]:
    before = stored_values(session, prefix)
    old: dict[str, Any] = {}
    entries = []
    for name, value in values.items():
        key = prefix + name
        previous = before.get(name)
        old[name] = previous
        if previous == value:
            continue
        if value is None:
            session.execute(delete(W).where(W.c.key == key))
        elif name in before:
            session.execute(sql_update(W).where(W.c.key == key).values(value=value))
        else:
            session.execute(insert(W).values(key=key, value=value))
        entries.append(AuditEntry("update", "workspace_setting", None, key, previous, value))
    write_audit(session, entries)
    return old


# -- readiness ----------------------------------------------------------------------------------


def readiness_settings_from(stored: Mapping[str, Any]) -> ReadinessSettings:
    """Settings from stored values; values of the wrong type fall back to the default."""
    default = ReadinessSettings()
    try:
        threshold = float(stored.get("ready_threshold", default.ready_threshold))
        barrier_max = int(stored.get("barrier_max", default.barrier_max))
        mode = str(stored.get("barrier_mode", default.barrier_mode))
        return ReadinessSettings(threshold, barrier_max, mode)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


def readiness_settings_in(session: Session) -> ReadinessSettings:
    return readiness_settings_from(stored_values(session, READINESS_PREFIX))


def readiness_settings(ws: Workspace) -> ReadinessSettings:
    """The ready threshold and barrier-point rule stored with the workspace."""
    with ws.read_session() as session:
        return readiness_settings_in(session)


def check_readiness_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate user-entered readiness settings; returns them normalised."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in READINESS_KEYS:
            raise ServiceError(f"There is no readiness setting called '{name}'.")
        if value is None:
            out[name] = None
        elif name == "barrier_mode":
            if value not in ("first", "lowest"):
                raise ServiceError("The barrier point is either the first or the lowest element.")
            out[name] = str(value)
        elif name == "ready_threshold":
            number = _number(value, "The ready threshold")
            if not 1.0 <= number <= 5.0:
                raise ServiceError("The ready threshold must be between 1 and 5.")
            out[name] = number
        else:
            number = _number(value, "The barrier score")
            if number != int(number) or not 1 <= number <= 4:
                raise ServiceError("The barrier score must be a whole number from 1 to 4.")
            out[name] = int(number)
    return out


def save_readiness_settings(ws: Workspace, values: Mapping[str, Any]) -> Written[dict[str, Any]]:
    """Store readiness settings (validated); returns the previous values for undo."""
    return put_values(ws, READINESS_PREFIX, check_readiness_values(values))


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool):
        raise ServiceError(f"{what} must be a number.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{what} must be a number, not '{value}'.") from None
