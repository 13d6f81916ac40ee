"""Forecast parameters stored with the workspace under ``forecast.<name>``: self-weight,
susceptibilities (default, executives, resisters, won over) and the effect size of each activity
type. Defaults are ``analysis.forecast.ForecastSettings`` (``MODELS.md``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from cmio_desktop.analysis.forecast import ForecastSettings
from cmio_desktop.enums import ActivityType, Attitude, StakeholderGroup
from cmio_desktop.services.analysis_settings import put_values, stored_values
from cmio_desktop.services.changes import Written
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.store import Workspace

PREFIX = "forecast."
EFFECT_PREFIX = "effect."


@dataclass(frozen=True)
class Parameter:
    name: str  # key after "forecast."
    label: str
    minimum: float
    maximum: float
    step: float
    default: float
    help: str


_DEFAULTS = ForecastSettings()
PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "self_weight",
        "Self-weight w₀",
        0.0,
        10.0,
        0.5,
        _DEFAULTS.self_weight,
        "How much each person listens to themselves, in tie-equivalents.",
    ),
    Parameter(
        "default_susceptibility",
        "Susceptibility λ",
        0.0,
        1.0,
        0.05,
        _DEFAULTS.default_susceptibility,
        "Share of a person's view that follows their influencers each week.",
    ),
    Parameter(
        "executive_susceptibility",
        "λ for executives",
        0.0,
        1.0,
        0.05,
        _DEFAULTS.group_susceptibility[StakeholderGroup.EXECUTIVE],
        "Executives are harder to move (the lower of this and the default applies).",
    ),
    Parameter(
        "resistant_susceptibility",
        "λ for resisters",
        0.0,
        1.0,
        0.05,
        _DEFAULTS.attitude_susceptibility[Attitude.RESISTANT],
        "People whose attitude is resistant hold on to their view.",
    ),
    Parameter(
        "champion_susceptibility",
        "λ when won over",
        0.0,
        1.0,
        0.05,
        float(_DEFAULTS.champion_susceptibility or 0.2),
        "A won-over person's anchor is 5 and they stop drifting back.",
    ),
) + tuple(
    Parameter(
        f"{EFFECT_PREFIX}{t.value}",
        t.label,
        -2.0,
        2.0,
        0.05,
        float(_DEFAULTS.effect_sizes.get(t, 0.0)),
        f"Score points one {t.label.lower()} adds to its targeted element for its audience.",
    )
    for t in ActivityType
)
PARAMETER_BY_NAME = {p.name: p for p in PARAMETERS}


def settings_from(stored: Mapping[str, Any]) -> ForecastSettings:
    """ForecastSettings from stored ``forecast.*`` values (defaults where absent or bad)."""
    value: dict[str, float] = {}
    for p in PARAMETERS:
        raw = stored.get(p.name)
        try:
            number = float(raw) if raw is not None and not isinstance(raw, bool) else p.default
        except (TypeError, ValueError):
            number = p.default
        value[p.name] = number if math.isfinite(number) else p.default
    effects = {t: value[f"{EFFECT_PREFIX}{t.value}"] for t in ActivityType}
    return ForecastSettings(
        self_weight=value["self_weight"],
        default_susceptibility=value["default_susceptibility"],
        group_susceptibility=MappingProxyType(
            {StakeholderGroup.EXECUTIVE: value["executive_susceptibility"]}
        ),
        attitude_susceptibility=MappingProxyType(
            {Attitude.RESISTANT: value["resistant_susceptibility"]}
        ),
        champion_susceptibility=value["champion_susceptibility"],
        effect_sizes=MappingProxyType(effects),
    )


def parameter_values(settings: ForecastSettings) -> dict[str, float]:
    """The inverse of :func:`settings_from`: ``{parameter name: value}``."""
    out = {
        "self_weight": settings.self_weight,
        "default_susceptibility": settings.default_susceptibility,
        "executive_susceptibility": settings.group_susceptibility.get(
            StakeholderGroup.EXECUTIVE, settings.default_susceptibility
        ),
        "resistant_susceptibility": settings.attitude_susceptibility.get(
            Attitude.RESISTANT, settings.default_susceptibility
        ),
        "champion_susceptibility": float(settings.champion_susceptibility or 0.0),
    }
    for t in ActivityType:
        out[f"{EFFECT_PREFIX}{t.value}"] = float(settings.effect_sizes.get(t, 0.0))
    return {k: float(v) for k, v in out.items()}


def forecast_settings(ws: Workspace) -> ForecastSettings:
    with ws.read_session() as session:
        return settings_from(stored_values(session, PREFIX))


def save_forecast_parameters(ws: Workspace, values: Mapping[str, Any]) -> Written[dict[str, Any]]:
    """Store parameters (``None`` restores a default); returns the previous stored values."""
    checked: dict[str, Any] = {}
    for name, value in values.items():
        p = PARAMETER_BY_NAME.get(name)
        if p is None:
            raise ServiceError(f"There is no forecast parameter called '{name}'.")
        if value is None:
            checked[name] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ServiceError(f"{p.label} must be a number, not '{value}'.") from None
        if not (math.isfinite(number) and p.minimum <= number <= p.maximum):
            raise ServiceError(f"{p.label} must be between {p.minimum:g} and {p.maximum:g}.")
        checked[name] = number
    return put_values(ws, PREFIX, checked)
