"""A realistic, deterministic synthetic health system for first run, demos and benchmarks.

Riverside Health: three sites, clinical departments, IT, executives and a patient council; a
reporting hierarchy plus peer and informal ties with a heavy-tailed degree distribution and a
few cross-department brokers; an "Ambulatory EHR go-live" about three months ahead with four
readiness rounds (most departments improving, Periop lagging, a few influential resisters) and
a starter plan; an engagement log for the influential resisters, change impact, a super-user
roster, and a second initiative whose work overlaps the go-live weeks. The same seed and
``today`` always give the same workspace.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from cmio_desktop.models import Base, Initiative, Milestone, Organisation, Phase
from cmio_desktop.sample.engagement import build_engagement, next_id
from cmio_desktop.sample.people import build_population
from cmio_desktop.sample.plan import build_plan
from cmio_desktop.sample.rounds import build_rounds
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.bulk import bulk_insert
from cmio_desktop.store import Workspace

DEFAULT_PEOPLE = 400
DEFAULT_SEED = 7
GO_LIVE_IN_DAYS = 91
ORDER_SETS_AFTER_DAYS = 28  # the second initiative's work overlaps the EHR go-live weeks


@dataclass(frozen=True)
class SampleSummary:
    people: int
    ties: int
    assessments: int
    initiative_id: int


def generate_sample(
    ws: Workspace,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    ties_per_person: float = 6.0,
    today: date | None = None,
) -> SampleSummary:
    """Fill an empty workspace with the sample health system, in one transaction."""
    if not 10 <= people <= 1_000_000:
        raise ValueError("The sample needs between 10 and 1,000,000 people.")
    today = today or date.today()
    rng = random.Random(seed)
    go_live = today + timedelta(days=GO_LIVE_IN_DAYS)
    tables = Base.metadata.tables
    with ws.session() as session:
        if session.scalar(select(func.count()).select_from(tables["stakeholder"])):
            raise ValueError("The sample can only be generated into an empty workspace.")
        org_id = session.scalar(select(Organisation.id).order_by(Organisation.id))
        session.execute(Organisation.__table__.update().values(name="Riverside Health"))
        initiative_id = session.execute(
            insert(Initiative.__table__).values(
                organisation_id=org_id,
                name="Ambulatory EHR go-live",
                description="Replace three legacy systems with one enterprise EHR across Riverside "
                "Health: order entry, documentation, pharmacy and the patient portal.",
                go_live=go_live,
                created_at=_midnight(today),
            )
        ).inserted_primary_key[0]
        order_sets = session.execute(
            insert(Initiative.__table__).values(
                organisation_id=org_id,
                name="Inpatient order sets refresh",
                description="Standardise inpatient order sets, built alongside the EHR go-live.",
                go_live=go_live + timedelta(days=ORDER_SETS_AFTER_DAYS),
                created_at=_midnight(today),
            )
        ).inserted_primary_key[0]
        _phases(session, initiative_id, today, go_live)
        pop = build_population(rng, people, org_id, ties_per_person)
        bulk_insert(session, "stakeholder", pop.people)
        bulk_insert(session, "relationship", list(pop.ties.values()))
        assessments = build_rounds(rng, pop.people, initiative_id, today)
        bulk_insert(session, "assessment", assessments)
        plan = build_plan(rng, initiative_id, today, go_live, pop.people)
        for table, rows in plan.items():
            bulk_insert(session, table, rows)
        more = build_engagement(
            rng, pop.people, today, go_live, initiative_id, order_sets, next_id(plan["activity"])
        )
        for table, rows in more.items():
            bulk_insert(session, table, rows)
        periop_head = pop.heads["Periop"]
        session.execute(
            insert(tables["risk_stakeholder"]), [{"risk_id": 1, "stakeholder_id": periop_head}]
        )
        write_audit(
            session,
            [
                AuditEntry(
                    "create",
                    "workspace",
                    None,
                    "sample",
                    None,
                    f"{len(pop.people)} people, seed {seed}",
                )
            ],
        )
    return SampleSummary(len(pop.people), len(pop.ties), len(assessments), initiative_id)


def _phases(session: Any, initiative_id: int, today: date, go_live: date) -> None:
    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    session.execute(
        insert(Phase.__table__),
        [
            {"initiative_id": initiative_id, "name": n, "start_date": s, "end_date": e}
            for n, s, e in (
                ("Design and build", day(-150), day(-30)),
                ("Testing and training", day(-30), go_live - timedelta(days=1)),
                ("Go-live and stabilisation", go_live, go_live + timedelta(days=42)),
            )
        ],
    )
    session.execute(
        insert(Milestone.__table__),
        [
            {"initiative_id": initiative_id, "name": n, "due": d}
            for n, d in (
                ("Build freeze", go_live - timedelta(days=42)),
                ("Dress rehearsal", go_live - timedelta(days=21)),
                ("Go/no-go decision", go_live - timedelta(days=7)),
                ("Go-live", go_live),
            )
        ],
    )


def _midnight(day: date) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day)
