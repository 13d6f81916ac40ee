"""Readiness rounds with plausible trends: most departments improve, Periop stalls."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cmio_desktop.enums import Attitude
from cmio_desktop.sample.catalogue import DEPARTMENTS

ROUND_OFFSETS_DAYS = (-84, -56, -28, -7)
ATTITUDE_OFFSET = {
    Attitude.UNAWARE.value: -0.7,
    Attitude.RESISTANT.value: -0.9,
    Attitude.NEUTRAL.value: 0.0,
    Attitude.SUPPORTIVE.value: 0.45,
    Attitude.LEADING.value: 0.9,
}
# Awareness comes first and reinforcement last: the usual ADKAR profile before go-live.
ELEMENT_OFFSET = (0.6, 0.1, -0.15, -0.5, -0.7)
ASSESSORS = ("Change team survey", "1:1 with manager", "Super-user check-in")


def build_rounds(
    rng: random.Random, people: list[dict[str, Any]], initiative_id: int, today: date
) -> list[dict[str, Any]]:
    specs = {spec.name: spec for spec in DEPARTMENTS}
    rows: list[dict[str, Any]] = []
    for person in people:
        spec = specs.get(person["department"])
        base = (spec.baseline if spec else 3.2) + ATTITUDE_OFFSET[person["attitude"]]
        trend = spec.trend if spec else 0.2
        if person["attitude"] == Attitude.RESISTANT.value:
            trend = min(trend, 0.05)
        level = base + rng.gauss(0, 0.35)
        for index, offset in enumerate(ROUND_OFFSETS_DAYS):
            if rng.random() > 0.82:
                continue  # did not answer this round
            scores = []
            for element, shift in enumerate(ELEMENT_OFFSET):
                value = level + shift + trend * index + rng.gauss(0, 0.45)
                if element == 1 and person["attitude"] == Attitude.RESISTANT.value:
                    value -= 0.7
                scores.append(min(5, max(1, round(value))))
            rows.append(
                {
                    "stakeholder_id": person["id"],
                    "initiative_id": initiative_id,
                    "assessed_on": today + timedelta(days=offset + rng.randint(-2, 2)),
                    "awareness": scores[0],
                    "desire": scores[1],
                    "knowledge": scores[2],
                    "ability": scores[3],
                    "reinforcement": scores[4],
                    "assessor": rng.choice(ASSESSORS),
                    "note": "",
                }
            )
    return rows
