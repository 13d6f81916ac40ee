"""The plan generator on crafted inputs: who gets what, when, and never double-booked."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from cmio_desktop.analysis.plan_generator import (
    BookedActivity,
    CourseGap,
    GeneratedPlan,
    GeneratorInputs,
    PlanPerson,
    generate_plan,
    monday,
)
from cmio_desktop.models.enums import ActivityType, AdkarElement

TODAY = date(2026, 11, 4)  # a Wednesday
GO_LIVE = date(2027, 2, 1)
A, D, K, AB, R = tuple(AdkarElement)


def crowd() -> list[PlanPerson]:
    people = [PlanPerson(i, f"Nurse {i}", "Periop", barrier=D, readiness=2.6) for i in range(1, 9)]
    people.append(PlanPerson(50, "Dr. Lead", "Periop", attitude="supportive", readiness=4.6,
                             influence=40))  # fmt: skip
    people.append(PlanPerson(51, "Dr. Flagged", "Periop", champion=True, influence=10,
                             readiness=4.2))  # fmt: skip
    people += [PlanPerson(i, f"ED {i}", "ED", barrier=A, readiness=2.0) for i in range(10, 15)]
    people += [PlanPerson(i, f"ICU {i}", "ICU", barrier=AB, readiness=3.4) for i in range(20, 24)]
    people += [PlanPerson(i, f"Lab {i}", "Lab", barrier=R, readiness=3.8) for i in range(30, 33)]
    people.append(PlanPerson(60, "Dr. Boss", "Exec", key_player=True, attitude="neutral",
                             influence=90, readiness=4.4))  # fmt: skip
    people.append(PlanPerson(61, "Dr. Hot", "Periop", barrier=D, hot_spot=True, influence=80,
                             readiness=2.2))  # fmt: skip
    return people


def check_rules(plan: GeneratedPlan, today: date, go_live: date) -> None:
    weeks: dict[int, list[date]] = defaultdict(list)
    for p in plan.proposals:
        assert today <= p.start <= p.due <= go_live, p
        assert p.reason
        for person in p.people:
            weeks[person].append(monday(p.start))
    for person, booked in weeks.items():
        assert len(booked) == len(set(booked)), f"person {person} double-booked: {booked}"


def test_department_stuck_at_desire_gets_peer_one_to_ones_led_by_a_recommended_champion() -> None:
    inputs = GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), recommended_champions=(50,))
    plan = generate_plan(inputs)
    peer = [p for p in plan.proposals if p.title.startswith("Peer 1:1s")]
    assert len(peer) == 1 and peer[0].type is ActivityType.ONE_TO_ONE and peer[0].element is D
    assert peer[0].owner == "Dr. Lead" and "recommended champion in Periop" in peer[0].reason
    assert set(peer[0].people) == set(range(1, 9))
    sponsor = [p for p in plan.proposals if p.type is ActivityType.SPONSOR_ONE_TO_ONE]
    assert [p.people for p in sponsor] == [(61,)]  # the hot spot gets the sponsor first
    assert sponsor[0].start <= peer[0].start
    check_rules(plan, TODAY, GO_LIVE)


def test_without_a_recommendation_the_local_flagged_champion_leads() -> None:
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(crowd())))
    peer = next(p for p in plan.proposals if p.title.startswith("Peer 1:1s"))
    assert peer.owner == "Dr. Flagged" and "most influential champion in Periop" in peer.reason


def test_each_barrier_and_quadrant_gets_its_activities_before_go_live() -> None:
    gap = CourseGap(7, "CPOE", GO_LIVE - timedelta(days=14), (10, 11, 20))
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), course_gaps=(gap,)))
    kinds = {(p.type, p.element) for p in plan.proposals}
    assert (ActivityType.BRIEFING, A) in kinds and (ActivityType.NEWSLETTER, A) in kinds
    assert (ActivityType.PRACTICE_SESSION, AB) in kinds and (ActivityType.AT_THE_ELBOW, AB) in kinds
    assert (ActivityType.RECOGNITION, R) in kinds and (ActivityType.FEEDBACK_SESSION, R) in kinds
    training = [p for p in plan.proposals if p.type is ActivityType.TRAINING_SESSION]
    assert {i for p in training for i in p.people} == {10, 11, 20}
    assert all(p.due <= gap.required_by for p in training)
    boss = [p for p in plan.proposals if 60 in p.people]
    assert len(boss) == 1 and boss[0].title == "Manage closely: 1:1 with Dr. Boss"
    elbow = next(p for p in plan.proposals if p.type is ActivityType.AT_THE_ELBOW)
    assert elbow.due == GO_LIVE
    check_rules(plan, TODAY, GO_LIVE)


def test_short_runway_never_schedules_before_today_after_go_live_or_twice_a_week() -> None:
    go_live = TODAY + timedelta(days=9)  # two calendar weeks
    late = TODAY - timedelta(days=3)
    gaps = tuple(CourseGap(c, f"Course {c}", late, tuple(range(1, 9))) for c in (1, 2, 3))
    plan = generate_plan(GeneratorInputs(TODAY, go_live, tuple(crowd()), course_gaps=gaps))
    assert plan.proposals
    check_rules(plan, TODAY, go_live)
    assert any("could not be fitted" in note for note in plan.notes)
    late = next(p for p in plan.proposals if p.type is ActivityType.TRAINING_SESSION)
    assert "was required by" in late.reason


def test_existing_short_activities_block_their_week_and_covered_people_are_skipped() -> None:
    week = monday(GO_LIVE) - timedelta(weeks=3)
    booked = (
        BookedActivity(frozenset({20, 21, 22, 23}), week, week + timedelta(days=2), None),
        BookedActivity(frozenset(range(10, 15)), TODAY, GO_LIVE, A),  # covers awareness
    )
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), booked=booked))
    practice = next(p for p in plan.proposals if p.type is ActivityType.PRACTICE_SESSION)
    assert monday(practice.start) != week
    assert not any(p.element is A for p in plan.proposals)
    check_rules(plan, TODAY, GO_LIVE)


def test_go_live_passed_gives_nothing() -> None:
    plan = generate_plan(GeneratorInputs(TODAY, TODAY - timedelta(days=1), tuple(crowd())))
    assert plan.proposals == () and plan.notes
