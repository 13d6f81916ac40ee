"""A starter plan: phases, activities, communications, training, risks and governance."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cmio_desktop.enums import (
    ActivityStatus,
    ActivityType,
    AdkarElement,
    Cadence,
    Criticality,
    Priority,
    Proficiency,
    RequestStatus,
    RiskStatus,
    Role,
)

A, D, K, AB, R = (
    AdkarElement.AWARENESS,
    AdkarElement.DESIRE,
    AdkarElement.KNOWLEDGE,
    AdkarElement.ABILITY,
    AdkarElement.REINFORCEMENT,
)

# (title, type, element, owner, start offset, due offset, audience departments)
ACTIVITIES = (
    (
        "Go-live roadmap briefing for department chairs",
        ActivityType.BRIEFING,
        A,
        "Change team",
        -80,
        -78,
        ("Executive",),
    ),
    (
        "Town hall: why we are moving to one record",
        ActivityType.TOWN_HALL,
        A,
        "CMIO",
        -70,
        -70,
        ("Emergency Department", "Med-Surg", "ICU"),
    ),
    (
        "Ambulatory workflow demo",
        ActivityType.DEMO,
        K,
        "Clinical Applications",
        -50,
        -48,
        ("Ambulatory Clinics",),
    ),
    (
        "Surgeon 1:1s with the CMO",
        ActivityType.SPONSOR_ONE_TO_ONE,
        D,
        "Chief Medical Officer",
        -30,
        10,
        ("Periop",),
    ),
    (
        "Peer 1:1s led by ED physician champions",
        ActivityType.ONE_TO_ONE,
        D,
        "ED champions",
        -14,
        14,
        ("Emergency Department",),
    ),
    (
        "Physician order-entry training",
        ActivityType.TRAINING_SESSION,
        K,
        "EHR Training",
        -21,
        45,
        ("Emergency Department", "Med-Surg", "ICU", "Pediatrics", "Periop"),
    ),
    (
        "Nursing documentation training",
        ActivityType.TRAINING_SESSION,
        K,
        "EHR Training",
        -14,
        50,
        ("Med-Surg", "ICU", "Pediatrics"),
    ),
    (
        "Pharmacy verification practice lab",
        ActivityType.PRACTICE_SESSION,
        AB,
        "Pharmacy",
        7,
        40,
        ("Pharmacy",),
    ),
    (
        "Super-user huddles (weekly)",
        ActivityType.SUPER_USER_HUDDLE,
        AB,
        "Change team",
        -28,
        84,
        ("Information Technology",),
    ),
    (
        "Dress rehearsal in the sandbox",
        ActivityType.PRACTICE_SESSION,
        AB,
        "Clinical Applications",
        60,
        70,
        ("Emergency Department", "ICU"),
    ),
    (
        "At-the-elbow support rota",
        ActivityType.AT_THE_ELBOW,
        AB,
        "Change team",
        85,
        110,
        ("Emergency Department", "Med-Surg", "ICU", "Ambulatory Clinics"),
    ),
    (
        "Patient council preview of the patient portal",
        ActivityType.DEMO,
        A,
        "Patient Experience",
        -10,
        -10,
        ("Patient & Family Council",),
    ),
    (
        "Go-live readiness newsletter",
        ActivityType.NEWSLETTER,
        A,
        "Communications",
        -60,
        80,
        ("Med-Surg", "Ambulatory Clinics", "Support Services"),
    ),
    (
        "Clinical informatics governance meeting",
        ActivityType.GOVERNANCE_MEETING,
        None,
        "CMIO",
        -42,
        -42,
        ("Executive",),
    ),
    (
        "Recognise early adopters at staff meeting",
        ActivityType.RECOGNITION,
        R,
        "Nursing leadership",
        100,
        105,
        ("Med-Surg", "Pediatrics"),
    ),
    (
        "Post-go-live feedback rounds",
        ActivityType.FEEDBACK_SESSION,
        R,
        "Change team",
        95,
        120,
        ("Emergency Department", "Periop"),
    ),
)

COMMUNICATIONS = (
    ("All staff", "Go-live countdown and what changes for you", "Email", "CMIO", Cadence.WEEKLY),
    (
        "Physicians",
        "Order-entry tips of the week",
        "Physician newsletter",
        "CMIO",
        Cadence.FORTNIGHTLY,
    ),
    (
        "Nursing",
        "Documentation changes and training schedule",
        "Unit huddles",
        "CNO",
        Cadence.WEEKLY,
    ),
    (
        "Executives",
        "Readiness dashboard and go/no-go status",
        "Steering meeting",
        "CMIO",
        Cadence.MONTHLY,
    ),
    (
        "Patient & Family Council",
        "What patients will notice on go-live day",
        "Council meeting",
        "Patient Experience",
        Cadence.ONCE,
    ),
)

COURSES = (
    (Role.PHYSICIAN, "Provider order entry (CPOE)"),
    (Role.NURSE, "Nursing documentation"),
    (Role.PHARMACIST, "Pharmacy verification"),
    (Role.APP, "APP order entry"),
    (Role.ALLIED_HEALTH, "Ancillary workflows"),
    (Role.ADMINISTRATOR, "Scheduling and registration"),
)

RISKS = (
    (
        "Surgeons boycott order-set build sessions",
        4,
        5,
        "CMO 1:1s; surgeon champion on build team",
        "Chief Medical Officer",
        Criticality.CRITICAL,
    ),
    (
        "Training completion behind in nights/weekends staff",
        4,
        4,
        "Add night sessions and e-learning",
        "EHR Training",
        Criticality.MAJOR,
    ),
    (
        "Interface to lab analysers not validated",
        3,
        5,
        "Extra integration test cycle",
        "Integration Engineering",
        Criticality.CRITICAL,
    ),
    (
        "Super-user coverage thin in Periop",
        3,
        4,
        "Recruit 4 more super users",
        "Change team",
        Criticality.MAJOR,
    ),
    (
        "Downtime procedures unfamiliar",
        2,
        4,
        "Downtime drill in week -2",
        "Nursing leadership",
        Criticality.MAJOR,
    ),
    (
        "Patient portal enrolment confusion",
        3,
        2,
        "FAQ and front-desk script",
        "Patient Experience",
        Criticality.MINOR,
    ),
)

DECISIONS = (
    (
        "Clinical Informatics Governance Committee",
        -60,
        "Adopt standard order sets; local variation only by exception",
        "Reduce build scope",
    ),
    ("Executive Steering Committee", -45, "Go-live date confirmed", "Vendor and staffing aligned"),
    ("Nursing Practice Council", -30, "Flowsheet rows reduced by 30%", "Documentation burden"),
    (
        "Clinical Informatics Governance Committee",
        -10,
        "No access to the EHR without completed training",
        "Patient safety",
    ),
)

REQUESTS = (
    ("Favourite order panel for chest pain work-up", Priority.HIGH, RequestStatus.TRIAGED),
    ("Voice recognition in clinic notes", Priority.MEDIUM, RequestStatus.NEW),
    ("Sepsis alert tuning before go-live", Priority.URGENT, RequestStatus.IN_PROGRESS),
    ("Pediatric weight-based dosing calculator", Priority.HIGH, RequestStatus.IN_PROGRESS),
    ("Remove duplicate allergy prompt", Priority.LOW, RequestStatus.DONE),
)

# (name, metric, threshold, amber band, criticality, scope, params)
CRITERIA = (
    (
        "Physician training completion ≥ 90 %",
        "training_completion_pct",
        90.0,
        10.0,
        Criticality.CRITICAL,
        "role:physician",
        {},
    ),
    (
        "Nursing training completion ≥ 90 %",
        "training_completion_pct",
        90.0,
        10.0,
        Criticality.CRITICAL,
        "role:nurse",
        {},
    ),
    (
        "No department with mean readiness < 3.0",
        "min_department_readiness",
        3.0,
        0.3,
        Criticality.CRITICAL,
        "all",
        {},
    ),
    (
        "≥ 1 super user per 10 frontline users per unit",
        "super_users_per_frontline",
        0.1,
        0.03,
        Criticality.MAJOR,
        "per unit",
        {},
    ),
    ("No open critical risk", "open_critical_risks", 0.0, 0.0, Criticality.CRITICAL, "all", {}),
    ("No key resisters", "resistant_key_players", 0.0, 0.0, Criticality.MAJOR, "all", {}),
)


def build_plan(
    rng: random.Random, initiative_id: int, today: date, go_live: date, people: list[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    out: dict[str, list[dict[str, Any]]] = {
        key: []
        for key in (
            "activity",
            "activity_audience",
            "communication",
            "training_course",
            "training_completion",
            "risk",
            "decision",
            "request",
            "golive_criterion",
        )
    }
    for index, (title, kind, element, owner, start, due, depts) in enumerate(ACTIVITIES, 1):
        status = (
            ActivityStatus.DONE
            if due < 0
            else ActivityStatus.IN_PROGRESS
            if start <= 0
            else ActivityStatus.PLANNED
        )
        if index == 3:
            status = ActivityStatus.IN_PROGRESS  # one overdue item, as in every real plan
        out["activity"].append(
            {
                "id": index,
                "initiative_id": initiative_id,
                "title": title,
                "type": kind.value,
                "element": element.value if element else None,
                "owner": owner,
                "start": day(start),
                "due": day(due),
                "status": status.value,
                "outcome": "Well attended" if status is ActivityStatus.DONE else "",
            }
        )
        for dept in depts:
            out["activity_audience"].append(
                {
                    "activity_id": index,
                    "stakeholder_id": None,
                    "department": dept,
                    "stakeholder_group": None,
                }
            )
    for audience, message, channel, sender, cadence in COMMUNICATIONS:
        out["communication"].append(
            {
                "initiative_id": initiative_id,
                "audience": audience,
                "message": message,
                "channel": channel,
                "sender": sender,
                "cadence": cadence.value,
                "start_date": day(-60),
                "end_date": go_live if cadence is not Cadence.ONCE else None,
            }
        )
    required_by = go_live - timedelta(days=14)
    for course_id, (role, name) in enumerate(COURSES, 1):
        out["training_course"].append(
            {
                "id": course_id,
                "initiative_id": initiative_id,
                "name": name,
                "role": role.value,
                "required_by": required_by,
            }
        )
        for person in people:
            if person["role"] != role.value:
                continue
            share = 0.75 if person["department"] != "Periop" else 0.45
            if rng.random() < share:
                out["training_completion"].append(
                    {
                        "course_id": course_id,
                        "stakeholder_id": person["id"],
                        "completed_on": day(-rng.randint(1, 40)),
                        "proficiency": rng.choice(
                            (
                                Proficiency.BASIC,
                                Proficiency.PROFICIENT,
                                Proficiency.PROFICIENT,
                                Proficiency.EXPERT,
                            )
                        ).value,
                    }
                )
    for description, likelihood, impact, mitigation, owner, criticality in RISKS:
        out["risk"].append(
            {
                "initiative_id": initiative_id,
                "description": description,
                "likelihood": likelihood,
                "impact": impact,
                "mitigation": mitigation,
                "owner": owner,
                "status": RiskStatus.OPEN.value,
                "criticality": criticality.value,
            }
        )
    for committee, offset, decision, rationale in DECISIONS:
        out["decision"].append(
            {
                "initiative_id": initiative_id,
                "committee": committee,
                "decided_on": day(offset),
                "decision": decision,
                "rationale": rationale,
            }
        )
    physicians = [p["id"] for p in people if p["role"] == Role.PHYSICIAN.value]
    for summary, priority, status in REQUESTS:
        out["request"].append(
            {
                "initiative_id": initiative_id,
                "requester_id": rng.choice(physicians) if physicians else None,
                "summary": summary,
                "detail": "",
                "priority": priority.value,
                "status": status.value,
                "received_on": day(-rng.randint(3, 60)),
            }
        )
    for name, metric, threshold, band, criticality, scope, params in CRITERIA:
        out["golive_criterion"].append(
            {
                "initiative_id": initiative_id,
                "name": name,
                "metric": metric,
                "threshold": threshold,
                "amber_band": band,
                "criticality": criticality.value,
                "scope": scope,
                "params": params,
            }
        )
    return out
