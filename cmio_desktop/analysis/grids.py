"""Stakeholder grids: Mendelow power/interest quadrants, Mitchell salience, SEAM attitude gap.

Definitions follow ``MODELS.md`` ("Grids"). Scores are integers on the 1–5 scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cmio_desktop.enums import Attitude

SCORE_MIN = 1
SCORE_MAX = 5


@dataclass(frozen=True)
class GridSettings:
    """A score is *high* when it is at least ``high_threshold`` (default 4: high = 4–5)."""

    high_threshold: int = 4

    def __post_init__(self) -> None:
        if not SCORE_MIN < self.high_threshold <= SCORE_MAX:
            raise ValueError(f"high_threshold must be in {SCORE_MIN + 1}..{SCORE_MAX}")


class Quadrant(StrEnum):
    """Mendelow quadrant; ``label`` names it, ``strategy`` says what to do."""

    KEY_PLAYER = "key_player"
    KEEP_SATISFIED = "keep_satisfied"
    KEEP_INFORMED = "keep_informed"
    MONITOR = "monitor"

    @property
    def label(self) -> str:
        return _QUADRANT_TEXT[self][0]

    @property
    def strategy(self) -> str:
        return _QUADRANT_TEXT[self][1]

    @property
    def title(self) -> str:
        """Label and strategy together, e.g. "Key player — manage closely"."""
        return f"{self.label} — {self.strategy.lower()}"


_QUADRANT_TEXT: dict[Quadrant, tuple[str, str]] = {
    Quadrant.KEY_PLAYER: ("Key player", "Manage closely"),
    Quadrant.KEEP_SATISFIED: ("Keep satisfied", "Keep satisfied"),
    Quadrant.KEEP_INFORMED: ("Keep informed", "Keep informed"),
    Quadrant.MONITOR: ("Monitor", "Monitor with minimum effort"),
}


class Salience(StrEnum):
    """Mitchell, Agle & Wood stakeholder classes."""

    DEFINITIVE = "definitive"
    DOMINANT = "dominant"
    DANGEROUS = "dangerous"
    DEPENDENT = "dependent"
    DORMANT = "dormant"
    DISCRETIONARY = "discretionary"
    DEMANDING = "demanding"

    @property
    def label(self) -> str:
        return self.value.capitalize()


_SALIENCE: dict[tuple[bool, bool, bool], Salience] = {
    (True, True, True): Salience.DEFINITIVE,
    (True, True, False): Salience.DOMINANT,
    (True, False, True): Salience.DANGEROUS,
    (False, True, True): Salience.DEPENDENT,
    (True, False, False): Salience.DORMANT,
    (False, True, False): Salience.DISCRETIONARY,
    (False, False, True): Salience.DEMANDING,
}


def _check_score(name: str, value: int) -> None:
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ValueError(f"{name} must be in {SCORE_MIN}..{SCORE_MAX}, got {value}")


def is_high(score: int, settings: GridSettings | None = None) -> bool:
    """Whether a 1–5 score counts as high under ``settings``."""
    settings = settings or GridSettings()
    return score >= settings.high_threshold


def quadrant(power: int, interest: int, settings: GridSettings | None = None) -> Quadrant:
    """Mendelow quadrant for 1–5 power and interest scores."""
    _check_score("power", power)
    _check_score("interest", interest)
    high_power, high_interest = is_high(power, settings), is_high(interest, settings)
    if high_power:
        return Quadrant.KEY_PLAYER if high_interest else Quadrant.KEEP_SATISFIED
    return Quadrant.KEEP_INFORMED if high_interest else Quadrant.MONITOR


def salience_class(power: bool, legitimacy: bool, urgency: bool) -> Salience | None:
    """Salience class from the three attributes; ``None`` means no attribute (non-stakeholder)."""
    return _SALIENCE.get((bool(power), bool(legitimacy), bool(urgency)))


def attitude_gap(current: Attitude, desired: Attitude) -> int:
    """Desired minus current, in SEAM steps (positive = needs moving up the scale)."""
    return desired.rank - current.rank


def grid_cell_counts(pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Count people per (power, interest) cell: ``counts[power - 1][interest - 1]``.

    The 5×5 counts drive the bubble chart, which scales where a scatter would not.
    """
    size = SCORE_MAX - SCORE_MIN + 1
    counts = [[0] * size for _ in range(size)]
    for power, interest in pairs:
        _check_score("power", power)
        _check_score("interest", interest)
        counts[power - SCORE_MIN][interest - SCORE_MIN] += 1
    return counts
