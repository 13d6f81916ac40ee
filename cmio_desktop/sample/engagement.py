"""The sample's engagement log, change impact, super-user roster and the second initiative's
work in the weeks around the first go-live, so every view has something real to show.

* **Engagement log**: the influential resisters (resistant or unaware, power 4–5) have had 1–3
  contacts over the last two months — sentiment improving slowly, a commitment or two, a next
  contact planned for most; two were last seen more than four weeks ago. Their 1:1s all predate
  the latest readiness round, so the forecast already holds their effect.
* **Change impact**: the EHR transforms clinical workflow (high for the clinical departments,
  medium for support services); the order-set refresh hits the inpatient units.
* **Super users**: everyone the sample flags as a super user supports their own unit, spread
  over day, evening and night shifts.
* **The second initiative** runs order-set build sessions and a downtime drill in the weeks of
  the EHR go-live: the Portfolio view shows the clash.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cmio_desktop.enums import ActivityStatus, ActivityType, AdkarElement, EngagementType, Shift
from cmio_desktop.models.base import utcnow

SUMMARIES = (
    "Worried the new order entry will slow clinic down; walked through the build timeline.",
    "Asked for surgeon input on the preference cards before sign-off.",
    "Frustrated about training hours during the winter surge; offered evening sessions.",
    "Wants proof that downtime procedures are tested before go-live.",
    "More positive after seeing the demo; still concerned about documentation burden.",
)
COMMITMENTS = (
    "Send the order-set build schedule",
    "Arrange a sandbox session for the team",
    "Share the downtime drill results",
)
CLINICAL = ("Emergency Department", "Med-Surg", "ICU", "Periop", "Ambulatory Clinics", "Pediatrics")
INPATIENT = ("Med-Surg", "ICU", "Periop")
SHIFTS = (Shift.DAY, Shift.DAY, Shift.EVENING, Shift.NIGHT)


def build_engagement(
    rng: random.Random,
    people: list[dict[str, Any]],
    today: date,
    go_live: date,
    ehr: int,
    order_sets: int,
    first_activity_id: int,
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {
        "engagement_entry": [],
        "engagement_commitment": [],
        "change_impact": [],
        "super_user_assignment": [],
        "activity": [],
        "activity_audience": [],
    }
    _log(rng, people, today, ehr, out)
    _impacts(ehr, order_sets, out)
    for p in people:
        if p["super_user"] and p["department"]:
            shift = SHIFTS[p["id"] % len(SHIFTS)]
            out["super_user_assignment"].append(
                {"stakeholder_id": p["id"], "unit": p["department"], "shift": shift.value}
            )
    _order_set_work(order_sets, go_live, first_activity_id, out)
    return out


def _log(
    rng: random.Random, people: list[dict[str, Any]], today: date, ehr: int, out: dict[str, Any]
) -> None:
    resisters = [p for p in people if p["attitude"] in ("resistant", "unaware") and p["power"] >= 4]
    created = utcnow()
    for n, person in enumerate(resisters):
        stale = n < 2  # two key people nobody has seen for over four weeks
        count = 1 if stale else rng.randint(1, 3)
        first_gap = rng.randint(35, 55) if stale else rng.randint(10, 30)
        days = sorted({first_gap + 14 * k for k in range(count)}, reverse=True)
        sentiment = rng.choice((-2, -1))
        for k, ago in enumerate(days):
            newest = k == len(days) - 1
            entry = len(out["engagement_entry"]) + 1
            kind = EngagementType.ONE_TO_ONE if k == 0 else rng.choice(
                (EngagementType.MEETING, EngagementType.CALL, EngagementType.SITE_VISIT)
            )  # fmt: skip
            planned = today + timedelta(days=rng.randint(-3, 18)) if newest and not stale else None
            out["engagement_entry"].append(
                {
                    "id": entry,
                    "stakeholder_id": person["id"],
                    "initiative_id": ehr,
                    "occurred_on": today - timedelta(days=ago),
                    "type": kind.value,
                    "our_side": rng.choice(("CMIO", "CNIO", "Change team")),
                    "summary": rng.choice(SUMMARIES),
                    "sentiment": sentiment,
                    "next_contact": planned,
                    "created_at": created,
                }
            )
            sentiment = min(2, sentiment + rng.choice((0, 1)))
            if rng.random() < 0.5:
                out["engagement_commitment"].append(
                    {
                        "entry_id": entry,
                        "text": rng.choice(COMMITMENTS),
                        "due": today + timedelta(days=rng.randint(-5, 10)),
                        "done": False,
                    }
                )


def _impacts(ehr: int, order_sets: int, out: dict[str, Any]) -> None:
    def rate(initiative: int, department: str, *aspects: int) -> None:
        names = ("people", "process", "technology", "workflow", "training_hours", "job_role",
                 "reporting")  # fmt: skip
        out["change_impact"].append(
            {"initiative_id": initiative, "department": department, "role": None,
             **dict(zip(names, aspects, strict=True))}
        )  # fmt: skip

    for department in CLINICAL:
        rate(ehr, department, 3, 4, 5, 4, 4, 2, 3)
    for department in ("Laboratory", "Pharmacy", "Radiology", "Support Services"):
        rate(ehr, department, 2, 2, 3, 2, 2, 1, 2)
    for department in INPATIENT:
        rate(order_sets, department, 1, 3, 1, 3, 2, 0, 1)


def _order_set_work(order_sets: int, go_live: date, first_id: int, out: dict[str, Any]) -> None:
    work = (
        ("Order-set build sessions", ActivityType.PRACTICE_SESSION, AdkarElement.KNOWLEDGE, -7,
         ("Med-Surg", "ICU")),
        ("Downtime drill", ActivityType.TRAINING_SESSION, AdkarElement.ABILITY, 0, ("Periop",)),
        ("Order-set sign-off with unit leads", ActivityType.BRIEFING, AdkarElement.DESIRE, 14,
         INPATIENT),
    )  # fmt: skip
    for n, (title, kind, element, offset, departments) in enumerate(work):
        ident = first_id + n
        due = go_live + timedelta(days=offset)
        out["activity"].append(
            {
                "id": ident,
                "initiative_id": order_sets,
                "title": title,
                "type": kind.value,
                "element": element.value,
                "owner": "Clinical Informatics",
                "start": due - timedelta(days=2),
                "due": due,
                "status": ActivityStatus.PLANNED.value,
                "outcome": "",
            }
        )
        out["activity_audience"] += [
            {
                "activity_id": ident,
                "stakeholder_id": None,
                "department": d,
                "stakeholder_group": None,
            }
            for d in departments
        ]


def next_id(rows: list[dict[str, Any]]) -> int:
    return max((int(r["id"]) for r in rows if r.get("id") is not None), default=0) + 1
