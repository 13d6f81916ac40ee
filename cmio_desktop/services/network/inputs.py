"""Reading what the network analysis needs, in one short session: settings stored with the
workspace, people, ties, and each person's latest readiness round for an initiative.

SQLAlchemy Core selects, fetched in chunks of ``CHUNK`` rows so that a pool thread running this
holds the GIL only briefly at a time (the UI thread keeps painting).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import AdkarScores, ReadinessSettings, barrier_point, readiness
from cmio_desktop.analysis.grids import GridSettings
from cmio_desktop.analysis.network import NetworkSettings
from cmio_desktop.services.initiatives import initiative_in as initiative_fact
from cmio_desktop.services.stakeholders.register import latest_scores
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__
R = m.Relationship.__table__
A = m.Assessment.__table__
CHUNK = 4_096  # rows per fetch: each C-level step holds the GIL ≲ 10 ms, so the UI stays smooth

#: Network settings stored with the workspace (``workspace_setting`` keys ``network.<field>``).
SETTING_PREFIX = "network."
#: Readiness settings stored with the workspace (``readiness.<field>``).
READINESS_PREFIX = "readiness."
#: The power/interest threshold, shared with the stakeholder register.
GRID_THRESHOLD_KEY = "grid.high_threshold"


# -- settings -----------------------------------------------------------------------------------


def _stored(session: Session, prefix: str) -> dict[str, Any]:
    W = m.WorkspaceSetting
    rows = session.execute(select(W.key, W.value).where(W.key.startswith(prefix)))
    return {key[len(prefix) :]: value for key, value in rows}


def _settings_from(cls: type, stored: dict[str, Any]) -> Any:
    """Build ``cls`` from stored values, ignoring unknown keys and values of the wrong type."""
    defaults = cls()
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in stored:
            continue
        value, default = stored[f.name], getattr(defaults, f.name)
        try:
            if isinstance(default, bool | tuple):
                continue  # element lists are not user-editable yet
            if isinstance(default, float):
                values[f.name] = float(value)
            elif isinstance(default, int) or (default is None and value is not None):
                values[f.name] = None if value is None else int(value)
            elif isinstance(default, str):
                values[f.name] = str(value)
        except (TypeError, ValueError):
            continue
    try:
        return cls(**values)
    except (TypeError, ValueError):
        return defaults


def network_settings_in(session: Session) -> NetworkSettings:
    return _settings_from(NetworkSettings, _stored(session, SETTING_PREFIX))


def readiness_settings_in(session: Session) -> ReadinessSettings:
    return _settings_from(ReadinessSettings, _stored(session, READINESS_PREFIX))


def grid_settings_in(session: Session) -> GridSettings:
    value = session.scalar(
        select(m.WorkspaceSetting.value).where(m.WorkspaceSetting.key == GRID_THRESHOLD_KEY)
    )
    try:
        return GridSettings(int(value)) if value is not None else GridSettings()
    except (TypeError, ValueError):
        return GridSettings()


def network_settings(ws: Workspace) -> NetworkSettings:
    """The network parameters stored with the workspace (``MODELS.md`` defaults otherwise)."""
    with ws.read_session() as session:
        return network_settings_in(session)


# -- loading ------------------------------------------------------------------------------------


@dataclass
class NetworkInputs:
    ids: np.ndarray
    external_id: list[str]
    name: list[str]
    group: list[str]
    department: list[str]
    attitude: list[str]
    power: np.ndarray
    interest: np.ndarray
    src: np.ndarray
    tgt: np.ndarray
    strength: np.ndarray
    readiness: np.ndarray
    barrier: list[str | None]
    desire: np.ndarray  # latest Desire score, NaN = not assessed


def revision_in(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(m.AuditEvent.id), 0))).scalar_one())


def initiative_in(session: Session, initiative_id: int | None) -> tuple[int | None, str]:
    """(id, name) of the initiative (default: the first one); (None, "") when there is none."""
    found = initiative_fact(session, initiative_id)
    return (None, "") if found is None else (found.id, found.name)


def _load_people(session: Session) -> tuple[list[Any], ...]:
    stmt = select(
        S.c.id,
        S.c.external_id,
        S.c.name,
        type_coerce(S.c.stakeholder_group, String),
        S.c.department,
        type_coerce(S.c.attitude, String),
        S.c.power,
        S.c.interest,
    ).order_by(S.c.id)
    columns: tuple[list[Any], ...] = tuple([] for _ in range(8))
    for part in session.execute(stmt).partitions(CHUNK):
        for column, values in zip(columns, zip(*part, strict=True), strict=True):
            column.extend(values)
    return columns


def _load_ties(session: Session, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    stmt = select(R.c.source_id, R.c.target_id, R.c.strength)
    parts = [
        np.fromiter(itertools.chain.from_iterable(part), dtype=np.int64, count=3 * len(part))
        for part in session.execute(stmt).partitions(CHUNK)
    ]
    flat = np.concatenate(parts).reshape(-1, 3) if parts else np.zeros((0, 3), np.int64)
    src = np.searchsorted(ids, flat[:, 0])
    tgt = np.searchsorted(ids, flat[:, 1])
    return src, tgt, flat[:, 2].astype(float)


def _load_readiness(
    session: Session, initiative_id: int | None, ids: np.ndarray, settings: ReadinessSettings
) -> tuple[np.ndarray, list[str | None], np.ndarray]:
    """Each person's latest round for the initiative (the latest date, then the highest id):
    readiness, barrier point and the Desire score."""
    n = ids.size
    values = np.full(n, np.nan)
    desire = np.full(n, np.nan)
    barriers: list[str | None] = [None] * n
    if initiative_id is None or n == 0:
        return values, barriers, desire
    latest = latest_scores(session, initiative_id, None)
    derived: dict[tuple[int, ...], tuple[float, str | None]] = {}
    for scores in set(latest.values()):  # at most 5⁵ distinct patterns
        adkar = AdkarScores(*scores)
        element = barrier_point(adkar, settings.barrier_mode, settings.barrier_max)
        derived[scores] = (readiness(adkar), element.value if element else None)
    people = np.fromiter(latest, dtype=np.int64, count=len(latest))
    pos = np.searchsorted(ids, people)
    for p, scores in zip(pos.tolist(), latest.values(), strict=True):
        values[p], barriers[p] = derived[scores]
        desire[p] = scores[1]
    return values, barriers, desire


def load_in(
    session: Session, initiative_id: int | None, settings: ReadinessSettings
) -> NetworkInputs:
    ident, ext, name, group, dept, attitude, power, interest = _load_people(session)
    ids = np.asarray(ident, dtype=np.int64)
    src, tgt, strength = _load_ties(session, ids)
    values, barriers, desire = _load_readiness(session, initiative_id, ids, settings)
    return NetworkInputs(
        ids=ids,
        external_id=[v or "" for v in ext],
        name=name,
        group=group,
        department=[v or "" for v in dept],
        attitude=attitude,
        power=np.asarray(power, dtype=np.int64),
        interest=np.asarray(interest, dtype=np.int64),
        src=src,
        tgt=tgt,
        strength=strength,
        readiness=values,
        barrier=barriers,
        desire=desire,
    )
