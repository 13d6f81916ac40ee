"""Activities: audience resolution, overdue logic, a person's activities, edits and undo, and
accepting generated proposals as one step."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from cmio_desktop import models as m
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan import generation as plan_generation
from cmio_desktop.services.plan.activities import (
    AudienceEntry,
    build_people_index,
    resolve_audience,
)

TODAY = date(2026, 11, 2)


def test_audience_resolves_people_departments_and_groups_as_a_union() -> None:
    index = build_people_index(
        [
            (1, "Ann", "ICU", "frontline_clinician"),
            (2, "Ben", "ICU", "clinical_leader"),
            (3, "Cy", "ED", "frontline_clinician"),
            (4, "Di", "ED", "executive"),
        ]
    )
    assert resolve_audience([AudienceEntry(department="ICU")], index) == {1, 2}
    assert resolve_audience([AudienceEntry(group="frontline_clinician")], index) == {1, 3}
    mixed = [AudienceEntry(stakeholder_id=4), AudienceEntry(department="ICU"),
             AudienceEntry(stakeholder_id=1), AudienceEntry(stakeholder_id=99)]  # fmt: skip
    assert resolve_audience(mixed, index) == {1, 2, 4}  # overlaps once, unknown ids dropped
    assert resolve_audience([AudienceEntry(department="Nowhere")], index) == set()
    with pytest.raises(ServiceError):
        AudienceEntry(stakeholder_id=1, department="ICU")
    with pytest.raises(ServiceError):
        AudienceEntry()


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (TODAY - timedelta(days=1), "planned", True),
        (TODAY - timedelta(days=1), "in_progress", True),
        (TODAY - timedelta(days=1), "done", False),
        (TODAY - timedelta(days=1), "cancelled", False),
        (TODAY, "planned", False),
        (None, "planned", False),
    ],
)
def test_overdue_means_due_before_today_and_not_done_or_cancelled(
    due: date | None, status: str, overdue: bool
) -> None:
    assert plan.is_overdue(due, status, TODAY) is overdue


def test_sample_plan_rows_flag_the_overdue_item_and_list_due_soon(sample_ws) -> None:
    rows = plan.list_activities(sample_ws, 1, TODAY)
    assert len(rows) == 16
    overdue = [r for r in rows if r.overdue]
    assert [r.title for r in overdue] == ["Ambulatory workflow demo"]
    town_hall = next(r for r in rows if r.title.startswith("Town hall"))
    assert town_hall.audience_text == "Emergency Department, Med-Surg, ICU"
    with sample_ws.session() as s:
        expected = s.scalar(
            select(func.count()).where(
                m.Stakeholder.department.in_(["Emergency Department", "Med-Surg", "ICU"])
            )
        )
    assert town_hall.audience_size == expected
    soon = plan.due_soon(rows, TODAY)
    assert all(r.is_open and TODAY <= r.due <= TODAY + timedelta(days=14) for r in soon)


def test_create_edit_delete_restore_an_activity_with_audience(sample_ws) -> None:
    with sample_ws.session() as s:
        person = s.scalar(select(m.Stakeholder.id).where(m.Stakeholder.department == "Pharmacy"))
    values = {"title": "Pharmacy huddle", "type": "super_user_huddle", "element": "ability",
              "owner": "Pharmacy", "start": TODAY, "due": TODAY + timedelta(days=3)}  # fmt: skip
    ident = plan.create_activity(
        sample_ws, 1, values, [AudienceEntry(stakeholder_id=person), AudienceEntry(group="it")]
    ).value
    row = plan.get_activity(sample_ws, ident, TODAY)
    assert row.status == "planned" and row.audience_size > 1
    reaching = plan.activities_reaching(sample_ws, person, 1, TODAY)
    assert ident in [r.id for r in reaching]
    assert "Pharmacy verification practice lab" in [r.title for r in reaching]  # by department
    old, old_audience = plan.update_activity(
        sample_ws, ident, {"status": "done", "outcome": "Good"}, [AudienceEntry(department="ICU")]
    ).value
    assert old["status"].value == "planned" and len(old_audience) == 2
    assert ident not in [r.id for r in plan.activities_reaching(sample_ws, person, 1, TODAY)]
    plan.update_activity(sample_ws, ident, old, list(old_audience))
    assert plan.get_activity(sample_ws, ident, TODAY).audience == tuple(old_audience)
    snapshot = plan.delete_activities(sample_ws, [ident])
    assert snapshot.count("activity_audience") == 2
    plan.restore(sample_ws, snapshot)
    assert plan.get_activity(sample_ws, ident, TODAY).audience_size == row.audience_size
    with pytest.raises(ServiceError, match="due date"):
        plan.update_activity(sample_ws, ident, {"due": TODAY - timedelta(days=5)})
    with pytest.raises(ServiceError, match="title"):
        plan.create_activity(sample_ws, 1, {**values, "title": " "}, [])


def test_generate_on_the_sample_then_accept_and_undo_as_one_step(sample_ws) -> None:
    result = plan_generation.generate(sample_ws, 1, TODAY)
    proposals = result.plan.proposals
    assert proposals and all(TODAY <= p.start <= p.due <= result.go_live for p in proposals)
    before = len(plan.list_activities(sample_ws, 1, TODAY))
    ids = plan_generation.accept(sample_ws, 1, proposals[:5]).value
    assert len(plan.list_activities(sample_ws, 1, TODAY)) == before + 5
    snapshot = plan_generation.undo_accept(sample_ws, ids)
    assert len(plan.list_activities(sample_ws, 1, TODAY)) == before
    plan.restore(sample_ws, snapshot)
    assert {r.id for r in plan.list_activities(sample_ws, 1, TODAY)} >= set(ids)
