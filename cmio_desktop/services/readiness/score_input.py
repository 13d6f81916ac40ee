"""Checking assessment input before anything is written: scores must be whole numbers 1–5 for
all five elements, dates must parse and not lie in the future, people and the initiative must
exist. Problems are collected and raised together as :class:`AssessmentInputError` (a
``ServiceError`` whose ``problems`` list says which person and field)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import AdkarScores
from cmio_desktop.enums import AdkarElement
from cmio_desktop.models import ADKAR_COLUMNS
from cmio_desktop.services.errors import NotFoundError, ServiceError

S = m.Stakeholder.__table__
CHUNK = 20_000
ELEMENT_LABELS = {c: AdkarElement(c).label for c in ADKAR_COLUMNS}


@dataclass(frozen=True)
class InputProblem:
    """One reason an assessment was refused: whose (``person_id``), which field, and why."""

    person_id: int | None
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class AssessmentInputError(ServiceError):
    """Bad assessment input; nothing was written. ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = list(problems)
        head = "; ".join(p.message for p in self.problems[:3])
        more = len(self.problems) - 3
        super().__init__(head + (f"; and {more} more problem(s)." if more > 0 else "."))


def parse_score(value: Any, element: str) -> int:
    """A 1–5 whole number from an int, a float like 4.0 or text like " 4 "."""
    label = ELEMENT_LABELS.get(element, element)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{label} is missing")
    if isinstance(value, bool):
        raise ValueError(f"{label}: '{value}' is not a score from 1 to 5")
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{label}: '{text}' is not a number from 1 to 5") from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise ValueError(f"{label}: '{value}' is not a number from 1 to 5")
    if number != int(number):
        raise ValueError(f"{label}: {value} is not a whole number from 1 to 5")
    if not 1 <= number <= 5:
        raise ValueError(f"{label}: {int(number)} is outside 1–5")
    return int(number)


def parse_scores(values: Any, person_id: int | None = None) -> AdkarScores:
    """Scores from an :class:`AdkarScores`, a sequence in A→D→K→A→R order or a mapping keyed by
    element name; raises :class:`AssessmentInputError` listing every bad or missing element."""
    if isinstance(values, AdkarScores):
        return values
    if isinstance(values, Mapping):
        raw = [values.get(c, values.get(AdkarElement(c))) for c in ADKAR_COLUMNS]
    elif isinstance(values, Sequence) and not isinstance(values, str):
        if len(values) > len(ADKAR_COLUMNS):
            raise AssessmentInputError(
                [InputProblem(person_id, "scores", "More than five scores were given")]
            )
        raw = list(values) + [None] * (len(ADKAR_COLUMNS) - len(values))
    else:
        raise AssessmentInputError(
            [InputProblem(person_id, "scores", f"'{values}' is not a set of five scores")]
        )
    scores, problems = [], []
    for column, value in zip(ADKAR_COLUMNS, raw, strict=True):
        try:
            scores.append(parse_score(value, column))
        except ValueError as exc:
            problems.append(InputProblem(person_id, column, str(exc)))
    if problems:
        raise AssessmentInputError(problems)
    return AdkarScores(*scores)


def parse_date(value: Any, today: date | None = None) -> date:
    """An assessment date from a ``date`` or ISO text; never in the future."""
    today = today or date.today()
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)") from None
    else:
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)")
    if day > today:
        raise ValueError(
            f"{day.isoformat()} is in the future; an assessment records what was observed"
        )
    return day


def checked_date(value: Any, today: date | None) -> date:
    try:
        return parse_date(value, today)
    except ValueError as exc:
        raise AssessmentInputError([InputProblem(None, "assessed_on", str(exc))]) from None


def initiative_name(session: Session, initiative_id: int) -> str:
    name = session.scalar(select(m.Initiative.name).where(m.Initiative.id == initiative_id))
    if name is None:
        raise NotFoundError(f"There is no initiative with id {initiative_id}.")
    return str(name)


def person_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    ordered = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(ordered), CHUNK):
        part = ordered[start : start + CHUNK]
        found.update(session.execute(select(S.c.id, S.c.name).where(S.c.id.in_(part))).all())
    return found


def score_values(scores: AdkarScores) -> dict[str, int]:
    """``{column: score}`` for the five assessment columns."""
    return dict(zip(ADKAR_COLUMNS, scores.as_tuple(), strict=True))
