"""The plan generator on crafted inputs: the rules of MODELS.md ("Plan generator")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from cmio_desktop.analysis.plan_generator import (
    BookedActivity,
    CourseGap,
    GeneratedPlan,
    GeneratorInputs,
    GeneratorSettings,
    PlanPerson,
    Proposal,
    generate_plan,
    in_blackout,
    monday,
)
from cmio_desktop.enums import ActivityType, AdkarElement

TODAY = date(2026, 11, 4)  # a Wednesday
GO_LIVE = date(2027, 2, 1)
A, D, K, AB, R = tuple(AdkarElement)
T = ActivityType


def crowd() -> list[PlanPerson]:
    people = [
        PlanPerson(i, f"Nurse {i}", "Periop", barrier=D, readiness=2.6, community=1)
        for i in range(1, 9)
    ]
    people.append(PlanPerson(50, "Dr. Lead", "Periop", attitude="supportive", readiness=4.6,
                             influence=40, ready=True, community=1))  # fmt: skip
    people.append(PlanPerson(52, "Dr. Near", "ICU", attitude="leading", readiness=4.4,
                             influence=30, ready=True, community=2))  # fmt: skip
    people += [PlanPerson(i, f"ED {i}", "ED", barrier=A, readiness=2.0) for i in range(10, 15)]
    people += [PlanPerson(i, f"ICU {i}", "ICU", barrier=AB, readiness=3.4, community=2)
               for i in range(20, 24)]  # fmt: skip
    people += [PlanPerson(i, f"Lab {i}", "Lab", barrier=R, readiness=3.8) for i in range(30, 33)]
    people.append(PlanPerson(40, "Solo Pharmacist", "Pharmacy", barrier=A, readiness=2.4))
    people.append(PlanPerson(60, "Dr. Boss", "Exec", key_player=True, attitude="neutral",
                             influence=90, readiness=4.4, ready=True))  # fmt: skip
    people.append(PlanPerson(61, "Dr. Hot", "Periop", attitude="resistant", barrier=A,
                             key_resister=True, key_player=True, influence=80, readiness=1.4,
                             group="clinical_leader"))  # fmt: skip
    people.append(PlanPerson(62, "Ms. Exec", "Exec", attitude="resistant", barrier=D,
                             key_resister=True, influence=70, readiness=2.0,
                             group="executive"))  # fmt: skip
    return people


def check_rules(plan: GeneratedPlan, inputs: GeneratorInputs) -> None:
    """Dates within today..go-live on working days, reasons given, nobody twice a week,
    leaders only champions who may lead."""
    by_id = {p.id: p for p in inputs.people}
    weeks: dict[int, list[date]] = defaultdict(list)
    for p in plan.proposals:
        assert inputs.today <= p.start <= p.due <= inputs.go_live, p
        assert p.start.weekday() < 5 and p.due.weekday() < 5, p
        assert p.reason
        assert "several departments" not in p.title
        if p.leader is not None:
            leader = by_id[p.leader]
            assert p.leader in inputs.champions and leader.ready and not leader.key_resister
            assert p.owner == leader.name and p.leader not in p.people
        for person in p.people:
            weeks[person].append(monday(p.start))
    for person, booked in weeks.items():
        assert len(booked) == len(set(booked)), f"person {person} double-booked: {booked}"


def as_booked(p: Proposal, status: str = "planned") -> BookedActivity:
    ids = frozenset(p.people)
    return BookedActivity(ids, p.start, p.due, p.element, p.type, p.owner, ids, status, p.title)


def test_every_key_resister_gets_a_named_one_to_one_before_the_first_training_wave() -> None:
    gap = CourseGap(7, "CPOE", GO_LIVE - timedelta(days=14), (10, 11, 20))
    inputs = GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), course_gaps=(gap,))
    plan = generate_plan(inputs)
    hot = [p for p in plan.proposals if p.people == (61,) and p.element in (A, D)]
    exe = [p for p in plan.proposals if p.people == (62,) and p.element is D]
    assert [p.type for p in hot if p.title.startswith("CMIO 1:1")] == [T.ONE_TO_ONE]
    assert [p.type for p in exe] == [T.SPONSOR_ONE_TO_ONE]  # an executive meets the sponsor
    assert exe[0].owner == "Executive sponsor" and "Key resister" in exe[0].reason
    first_training = min(p.start for p in plan.proposals if p.type is T.TRAINING_SESSION)
    assert all(p.start < monday(first_training) for p in hot + exe)
    # Key resisters are not put in peer sessions: they have their own 1:1.
    assert not any(62 in p.people for p in plan.proposals if p.leader is not None)
    check_rules(plan, inputs)


def test_peer_session_is_led_by_a_champion_of_the_department_else_of_the_community() -> None:
    inputs = GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), champions=(52, 50))
    plan = generate_plan(inputs)
    peer = [p for p in plan.proposals if p.element is D and p.leader is not None]
    assert len(peer) == 1 and peer[0].leader == 50 and peer[0].owner == "Dr. Lead"
    assert set(peer[0].people) == set(range(1, 9)) and "champion in Periop" in peer[0].reason
    # Without Periop's champion, the nearest community's champion (community 1 has none,
    # so nobody): the change team owns it.
    people = [p for p in crowd() if p.id != 50]
    people.append(PlanPerson(53, "Dr. Bridge", "ED", attitude="supportive", readiness=4.5,
                             ready=True, community=1))  # fmt: skip
    inputs = GeneratorInputs(TODAY, GO_LIVE, tuple(people), champions=(52, 53))
    peer = next(p for p in generate_plan(inputs).proposals if p.element is D and len(p.people) > 1)
    assert peer.leader == 53 and "in their community" in peer.reason
    check_rules(generate_plan(inputs), inputs)


def test_a_key_resister_or_unready_person_never_leads_even_if_listed_as_champion() -> None:
    # 61 is a key resister and 1 is not ready: a stale champion list must not make them lead.
    inputs = GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), champions=(61, 1))
    plan = generate_plan(inputs)
    peer = next(p for p in plan.proposals if p.element is D and len(p.people) > 1)
    assert peer.leader is None and peer.owner == "Change team"
    assert "owned by the change team" in peer.reason
    check_rules(plan, replace(inputs, champions=()))


def test_truthful_sizes_a_briefing_for_one_person_is_a_one_to_one() -> None:
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(crowd())))
    solo = [p for p in plan.proposals if 40 in p.people]
    assert len(solo) == 1 and solo[0].type is T.ONE_TO_ONE and solo[0].element is A
    assert solo[0].title.startswith("1:1 with Solo Pharmacist (Pharmacy)")
    ed = next(p for p in plan.proposals if p.type is T.BRIEFING)
    assert "ED (5 people)" in ed.title and len(ed.people) == 5


def test_training_only_for_people_lacking_a_course_and_demo_for_the_rest() -> None:
    people = crowd() + [PlanPerson(70, "Dr. K", "ICU", barrier=K, readiness=3.0)]
    people += [PlanPerson(71, "Dr. K2", "ICU", barrier=K, readiness=3.0)]
    people += [PlanPerson(72, "Dr. K3", "ICU", barrier=K, readiness=3.0)]
    gap = CourseGap(7, "CPOE", None, (70, 72))
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(people), course_gaps=(gap,)))
    training = [p for p in plan.proposals if p.type is T.TRAINING_SESSION]
    assert [p.people for p in training] == [(70, 72)] and "CPOE" in training[0].title
    demo = [p for p in plan.proposals if p.element is K and p.type is not T.TRAINING_SESSION]
    assert [p.people for p in demo] == [(71,)] and demo[0].type is T.ONE_TO_ONE


def test_manage_closely_people_without_a_touch_in_four_weeks_get_one() -> None:
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(crowd())))
    boss = [p for p in plan.proposals if 60 in p.people]
    assert len(boss) == 1 and boss[0].title == "Keep close: CMIO 1:1 with Dr. Boss"
    assert boss[0].start < TODAY + timedelta(weeks=4)
    touch = BookedActivity(frozenset({60}), TODAY + timedelta(days=8), TODAY + timedelta(days=9),
                           None, T.GOVERNANCE_MEETING, "PMO", frozenset({60}))  # fmt: skip
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), booked=(touch,)))
    assert not any(60 in p.people for p in plan.proposals)


def test_blackout_weeks_and_weekends_are_skipped() -> None:
    go_live = date(2027, 1, 15)
    today = date(2026, 12, 2)
    inputs = GeneratorInputs(today, go_live, tuple(crowd()))
    plan = generate_plan(inputs)
    assert plan.proposals
    for p in plan.proposals:
        days = [p.start + timedelta(days=i) for i in range((p.due - p.start).days + 1)]
        assert not any(in_blackout(d, ((12, 24, 1, 1),)) for d in days), p
        assert monday(p.start) not in (date(2026, 12, 21), date(2026, 12, 28)), p
    assert any("Blackout (24 Dec – 1 Jan)" in n for n in plan.notes)
    check_rules(plan, inputs)
    # A custom blackout and a four-day week.
    settings = GeneratorSettings(blackout=((12, 7, 12, 11),), workdays=(0, 1, 2, 3))
    plan = generate_plan(inputs, settings)
    assert all(monday(p.start) != date(2026, 12, 7) for p in plan.proposals)
    assert all(p.start.weekday() < 4 and p.due.weekday() < 4 for p in plan.proposals)
    assert any(n == "Blackout (7 Dec – 11 Dec): nothing in w/c 07 Dec." for n in plan.notes)


def test_back_scheduling_counts_working_weeks() -> None:
    """At-the-elbow sits in go-live week; recognition one *working* week before it."""
    people = [PlanPerson(i, f"P{i}", "Lab", barrier=R, readiness=3.8) for i in range(5)]
    people += [PlanPerson(i, f"Q{i}", "Lab2", barrier=AB, readiness=3.5) for i in range(5, 9)]
    go_live = date(2027, 1, 6)  # the week before is blackout
    plan = generate_plan(GeneratorInputs(date(2026, 10, 1), go_live, tuple(people)))
    recognition = next(p for p in plan.proposals if p.type is T.RECOGNITION)
    assert monday(recognition.start) == date(2026, 12, 14)  # skips 21 Dec and 28 Dec
    elbow = next(p for p in plan.proposals if p.type is T.AT_THE_ELBOW)
    assert elbow.start == date(2027, 1, 4) and elbow.due == go_live


def test_generating_again_over_the_accepted_plan_proposes_nothing() -> None:
    gap = CourseGap(7, "CPOE", GO_LIVE - timedelta(days=14), (10, 11, 20))
    inputs = GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), (50,), (gap,))
    first = generate_plan(inputs)
    assert len(first.proposals) > 8
    again = replace(inputs, booked=tuple(as_booked(p) for p in first.proposals))
    assert generate_plan(again).proposals == ()
    done = replace(inputs, booked=tuple(as_booked(p, "done") for p in first.proposals))
    second = generate_plan(done)  # done covers the purpose; only the 4-week touch is open
    assert {p.title for p in second.proposals} <= {
        "Keep close: CMIO 1:1 with Dr. Boss",
        "Keep close: CMIO 1:1 with Dr. Hot",
    }


def test_an_activity_led_by_a_key_resister_does_not_cover_its_purpose() -> None:
    people = tuple(crowd())
    led_by_hot = BookedActivity(frozenset(range(1, 9)), TODAY, TODAY + timedelta(days=2), D,
                                T.ONE_TO_ONE, "Dr. Hot")  # fmt: skip
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, people, (50,), booked=(led_by_hot,)))
    peer = [p for p in plan.proposals if p.element is D and p.leader == 50]
    assert len(peer) == 1 and set(peer[0].people) == set(range(1, 9))
    led_by_lead = replace(led_by_hot, owner="Dr. Lead")
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, people, (50,), booked=(led_by_lead,)))
    assert not [p for p in plan.proposals if p.element is D and p.leader == 50]


def test_existing_short_activities_block_their_week() -> None:
    week = monday(GO_LIVE) - timedelta(weeks=3)
    booked = (BookedActivity(frozenset({20, 21, 22, 23}), week, week + timedelta(days=2), None),)
    plan = generate_plan(GeneratorInputs(TODAY, GO_LIVE, tuple(crowd()), booked=booked))
    practice = next(p for p in plan.proposals if p.type is T.PRACTICE_SESSION)
    assert monday(practice.start) != week


def test_short_runway_never_schedules_before_today_after_go_live_or_twice_a_week() -> None:
    go_live = TODAY + timedelta(days=9)
    late = TODAY - timedelta(days=3)
    gaps = tuple(CourseGap(c, f"Course {c}", late, tuple(range(1, 9))) for c in (1, 2, 3))
    inputs = GeneratorInputs(TODAY, go_live, tuple(crowd()), course_gaps=gaps)
    plan = generate_plan(inputs)
    assert plan.proposals
    check_rules(plan, inputs)
    assert any("could not be fitted" in note for note in plan.notes)
    late_one = next(p for p in plan.proposals if p.type is T.TRAINING_SESSION)
    assert "was required by" in late_one.reason
    talk = next(p for p in plan.proposals if p.reason.startswith("Key resister"))
    assert "as soon as possible" in talk.reason and monday(talk.start) == monday(TODAY)


def test_go_live_passed_gives_nothing() -> None:
    plan = generate_plan(GeneratorInputs(TODAY, TODAY - timedelta(days=1), tuple(crowd())))
    assert plan.proposals == () and plan.notes


def test_nobody_is_booked_in_a_week_their_department_is_saturated() -> None:
    people = tuple(crowd())
    base = GeneratorInputs(TODAY, GO_LIVE, people, champions=(50, 52))
    plain = generate_plan(base)
    periop = {p.id for p in people if p.department == "Periop"}
    busy_weeks = {monday(p.start) for p in plain.proposals if periop & set(p.people)}
    assert busy_weeks, "the crafted plan books Periop somewhere"
    saturated = {"Periop": frozenset(busy_weeks)}
    plan = generate_plan(replace(base, saturated=saturated))
    check_rules(plan, replace(base, saturated=saturated))
    for proposal in plan.proposals:
        if periop & set(proposal.people):
            assert monday(proposal.start) not in busy_weeks, proposal
    assert any(n.startswith("Saturated (change load over the threshold)") for n in plan.notes)
    assert any("Periop w/c" in n for n in plan.notes)
