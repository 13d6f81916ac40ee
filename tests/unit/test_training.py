"""Training: completion maths, bulk completion with undo, and who loses access at go-live."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.services.plan import training
from cmio_desktop.services.plan.facts import CourseFact, PersonFact, required_courses

TODAY = date(2026, 11, 2)


def fact(ident: int, role: str, department: str, body: bool = False) -> PersonFact:
    return PersonFact(ident, f"P{ident}", role, "frontline_clinician", department, "", "neutral",
                      3, 3, False, False, body, None, None, None)  # fmt: skip


def test_required_courses_follow_role_everyone_courses_and_skip_bodies() -> None:
    courses = [CourseFact(1, "CPOE", "physician", None), CourseFact(2, "Safety", None, None)]
    assert required_courses(fact(1, "physician", "ED"), courses) == {1, 2}
    assert required_courses(fact(2, "nurse", "ED"), courses) == {2}
    assert required_courses(fact(3, "nurse", "ED", body=True), courses) == frozenset()


def test_completion_counts_people_fully_trained_per_group() -> None:
    courses = [CourseFact(1, "CPOE", "physician", None), CourseFact(2, "Safety", None, None)]
    people = [fact(1, "physician", "ED"), fact(2, "physician", "ED"), fact(3, "nurse", "ICU"),
              fact(4, "nurse", "ICU")]  # fmt: skip
    completed = {1: frozenset({1, 2}), 2: frozenset({1}), 3: frozenset({2})}
    groups = training.completion_by(
        people, lambda p: required_courses(p, courses), completed, lambda p: p.department
    )
    assert [(g.label, g.required, g.trained) for g in groups] == [("ED", 2, 1), ("ICU", 2, 1)]
    assert groups[0].pct == pytest.approx(50.0) and groups[0].untrained == 1
    assert training.CompletionGroup("x", 0, 0).pct is None


def test_sample_overview_matches_the_untrained_list(sample_ws) -> None:
    ov = training.training_overview(sample_ws, 1)
    assert ov.overall.required == sum(g.required for g in ov.by_role)
    assert ov.overall.untrained == len(ov.untrained) > 0
    assert all(r.missing for r in ov.untrained)
    assert {c.role for c in ov.courses} >= {"physician", "nurse"}


def test_bulk_mark_complete_and_undo_restores_exactly(sample_ws) -> None:
    course = training.training_overview(sample_ws, 1).courses[0]
    roster = training.course_roster(sample_ws, course.id)
    done = [r for r in roster if r.completed_on is not None][:2]
    todo = [r for r in roster if r.completed_on is None][:3]
    assert len(done) == 2 and len(todo) == 3
    ids = [r.person_id for r in done + todo]
    prior = training.mark_complete(sample_ws, course.id, ids, TODAY, "expert").value
    after = {r.person_id: r for r in training.course_roster(sample_ws, course.id)}
    assert all(after[i].completed_on == TODAY and after[i].proficiency == "expert" for i in ids)
    training.restore_completions(sample_ws, course.id, prior)
    again = {r.person_id: r for r in training.course_roster(sample_ws, course.id)}
    for r in done + todo:
        assert (again[r.person_id].completed_on, again[r.person_id].proficiency) == (
            r.completed_on,
            r.proficiency,
        )
    with sample_ws.session() as s:
        rows = s.scalars(
            select(m.TrainingCompletion.stakeholder_id).where(
                m.TrainingCompletion.course_id == course.id
            )
        ).all()
    assert not set(rows) & {r.person_id for r in todo}  # rows it created are gone again


def test_marking_everyone_complete_empties_the_lose_access_list(sample_ws) -> None:
    ov = training.training_overview(sample_ws, 1)
    for course in ov.courses:
        people = [r.person_id for r in training.course_roster(sample_ws, course.id) if r.required]
        training.mark_complete(sample_ws, course.id, people, TODAY)
    assert training.untrained_at_go_live(sample_ws, 1) == []
    assert training.training_overview(sample_ws, 1).overall.pct == pytest.approx(100.0)
