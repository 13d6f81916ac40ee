"""Go/no-go criteria: status at the threshold edges, the overall rule, metric evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cmio_desktop.analysis.golive import (
    CriterionResult,
    CriterionSpec,
    GoLiveFacts,
    Overall,
    PersonFacts,
    RiskFacts,
    Status,
    evaluate,
    overall_status,
    rag_status,
    scorecard,
    template_name,
)

TODAY = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(90.0, Status.GREEN), (95.0, Status.GREEN), (80.0, Status.AMBER), (85.0, Status.AMBER),
     (79.999, Status.RED), (None, Status.NOT_ASSESSED)],
)  # fmt: skip
def test_threshold_edges_more_is_better(value: float | None, expected: Status) -> None:
    assert rag_status(value, 90.0, 10.0) is expected


def test_threshold_edges_with_awkward_floats() -> None:
    # 0.1 - 0.03 is 0.07000000000000001 in binary floating point: still amber.
    assert rag_status(0.1, 0.1, 0.03) is Status.GREEN
    assert rag_status(0.07, 0.1, 0.03) is Status.AMBER
    assert rag_status(0.0699, 0.1, 0.03) is Status.RED
    assert rag_status(2.7, 3.0, 0.3) is Status.AMBER
    assert rag_status(2.69, 3.0, 0.3) is Status.RED


def test_threshold_edges_less_is_better_and_zero_band() -> None:
    assert rag_status(0, 0, 0, higher_is_better=False) is Status.GREEN
    assert rag_status(1, 0, 0, higher_is_better=False) is Status.RED
    assert rag_status(2, 0, 2, higher_is_better=False) is Status.AMBER
    assert rag_status(3, 0, 2, higher_is_better=False) is Status.RED


def result(status: Status, criticality: str) -> CriterionResult:
    spec = CriterionSpec(f"{criticality} {status}", "mean_readiness", 3, 0, criticality)
    return CriterionResult(spec, status, 1.0, "1", "≥ 3", ())


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([("green", "critical"), ("green", "major"), ("red", "minor")], Overall.GO),
        ([("green", "critical"), ("amber", "major")], Overall.GO),
        ([("amber", "critical"), ("green", "major")], Overall.CONDITIONAL),
        ([("green", "critical"), ("red", "major")], Overall.CONDITIONAL),
        ([("red", "critical"), ("green", "major")], Overall.NO_GO),
        ([("red", "critical"), ("amber", "critical"), ("red", "major")], Overall.NO_GO),
        ([], Overall.NOT_ASSESSED),  # no criteria: never GO
        ([("green", "critical"), ("not_assessed", "minor")], Overall.NOT_ASSESSED),
        ([("amber", "critical"), ("not_assessed", "major")], Overall.NOT_ASSESSED),
        ([("red", "critical"), ("not_assessed", "major")], Overall.NO_GO),
    ],
)
def test_overall_rule(statuses: list[tuple[str, str]], expected: Overall) -> None:
    overall, reasons = overall_status(result(Status(s), c) for s, c in statuses)
    assert overall is expected
    assert reasons


def person(ident: int, **kw: object) -> PersonFacts:
    base: dict[str, object] = dict(
        id=ident, name=f"P{ident}", role="nurse", group="frontline_clinician", department="ICU"
    )
    base.update(kw)
    return PersonFacts(**base)  # type: ignore[arg-type]


def facts(people: list[PersonFacts], risks: tuple[RiskFacts, ...] = ()) -> GoLiveFacts:
    return GoLiveFacts(TODAY, date(2027, 2, 1), tuple(people), risks)


def test_training_completion_by_role_with_unit_evidence() -> None:
    req = frozenset({1})
    people = [
        person(i, role="physician", department="ED" if i <= 10 else "ICU", required_courses=req,
               completed_courses=req if i not in (1, 2) else frozenset())
        for i in range(1, 21)
    ] + [person(99, role="nurse", required_courses=req)]  # fmt: skip
    spec = CriterionSpec("Physicians", "training_completion_pct", 90, 10, "critical",
                         "role:physician")  # fmt: skip
    r = evaluate(spec, facts(people))
    assert r.value == pytest.approx(90.0) and r.status is Status.GREEN  # 18 of 20, nurse ignored
    per_unit = evaluate(
        CriterionSpec("Each unit", "training_completion_pct", 90, 5, "critical", "per unit"),
        facts(people[:20]),
    )
    assert per_unit.value == pytest.approx(80.0) and per_unit.status is Status.RED
    ed = [line for line in per_unit.evidence if line.startswith("ED: 80 %")]
    assert ed and "10 points short" in ed[0]


def test_department_readiness_super_users_risks_and_key_players() -> None:
    people = [person(i, department="ED", readiness=2.7) for i in range(1, 4)]
    people += [person(i, department="ICU", readiness=3.5, super_user=i == 4) for i in range(4, 9)]
    people += [person(20, group="executive", power=5, interest=5, attitude="resistant",
                      department="Exec")]  # fmt: skip
    risks = (
        RiskFacts(1, "Interface late", "critical", "open", 4, 5),
        RiskFacts(2, "Closed one", "critical", "closed"),
        RiskFacts(3, "Minor", "major", "open"),
    )
    f = facts(people, risks)
    dept = evaluate(CriterionSpec("D", "min_department_readiness", 3.0, 0.3, "critical"), f)
    assert dept.status is Status.AMBER and dept.value == pytest.approx(2.7)
    assert any(line.startswith("ED: 2.70") for line in dept.evidence)
    supers = evaluate(CriterionSpec("S", "super_users_per_frontline", 0.2, 0.0, "major",
                                    "per unit"), f)  # fmt: skip
    assert supers.status is Status.RED and supers.value == 0.0  # ED has none
    assert any("ED: none" in line for line in supers.evidence)
    crit = evaluate(CriterionSpec("R", "open_critical_risks", 0, 0, "critical"), f)
    assert crit.value == 1 and crit.status is Status.RED
    assert "Interface late" in crit.evidence[0]
    # The list comes from the network analysis (ids in its order), never recomputed here.
    keys = evaluate(CriterionSpec("K", "resistant_key_players", 0, 0, "major"),
                    replace(f, key_resisters=(20, 999)))  # fmt: skip
    assert keys.value == 1 and "P20" in keys.evidence[0] and "key resister" in keys.evidence[0]
    unknown = evaluate(CriterionSpec("K", "resistant_key_players", 0, 0, "major"), f)
    assert unknown.value is None and "not computed" in unknown.evidence[0]


def test_key_resisters_follow_the_given_order_within_scope() -> None:
    people = [person(1, department="ICU"), person(2, department="ED"), person(3)]
    f = replace(facts(people), key_resisters=(3, 2, 1))
    keys = evaluate(CriterionSpec("K", "resistant_key_players", 0, 0, "major"), f)
    assert keys.value == 3 and keys.status is Status.RED
    assert [line.split(" ")[0] for line in keys.evidence[:3]] == ["P3", "P2", "P1"]


def test_missing_data_is_not_assessed_never_green_and_scorecard_counts_days() -> None:
    card = scorecard([CriterionSpec("D", "min_department_readiness", 3, 0, "critical")],
                     facts([person(1)]))  # fmt: skip
    assert card.overall is Overall.NOT_ASSESSED and card.days_to_go_live == 91
    assert card.results[0].status is Status.NOT_ASSESSED
    assert "not assessed" in card.results[0].evidence[-1]
    assert card.reasons == ("Not assessed (no data): D",)
    training = evaluate(CriterionSpec("T", "training_completion_pct", 90, 10, "critical"),
                        facts([person(1)]))  # no courses  # fmt: skip
    assert training.status is Status.NOT_ASSESSED and not training.no_action_planned
    unknown = evaluate(CriterionSpec("X", "no_such_metric", 1), facts([]))
    assert unknown.status is Status.NOT_ASSESSED
    empty = scorecard([], facts([]))
    assert empty.overall is Overall.NOT_ASSESSED and "No go-live criteria" in empty.reasons[0]


def test_template_names_keep_the_sample_wording() -> None:
    assert template_name("training_completion_pct", 90, "role:physician") == (
        "Physician training completion ≥ 90 %"
    )
    assert template_name("min_department_readiness", 3.0, "all") == (
        "No department with mean readiness < 3.0"
    )
    assert template_name("super_users_per_frontline", 0.1, "per unit") == (
        "≥ 1 super user per 10 frontline users per unit"
    )
    assert template_name("open_critical_risks", 0, "all") == "No open critical risk"


def test_what_addresses_a_red_criterion() -> None:
    from cmio_desktop.analysis.golive_actions import ActivityFacts, draft_for

    req = frozenset({1})
    people = [person(i, department="ED", readiness=2.0, ready=False, required_courses=req)
              for i in range(1, 5)]  # fmt: skip
    people += [person(i, department="ICU", readiness=4.5, ready=True) for i in range(5, 9)]
    people.append(person(20, power=5, interest=5, attitude="resistant", department="Exec"))
    specs = [
        CriterionSpec("Dept", "min_department_readiness", 3, 0.3, "critical"),
        CriterionSpec("Train", "training_completion_pct", 90, 10, "critical"),
        CriterionSpec("Keys", "resistant_key_players", 0, 0, "major"),
    ]

    def act(i: int, kind: str, element: str | None, who: set[int], status: str = "planned",
            due: date | None = date(2027, 1, 10)) -> ActivityFacts:  # fmt: skip
        return ActivityFacts(i, f"A{i}", kind, element, status, due, frozenset(who),
                             frozenset(who) if len(who) == 1 else frozenset())  # fmt: skip

    activities = [
        act(1, "one_to_one", "desire", {1}),  # one person's 1:1: not a department action
        act(2, "briefing", "awareness", {1, 2, 3}),  # a group in ED: addresses readiness
        act(3, "training_session", "knowledge", {2, 9}),  # an untrained person: training
        act(4, "training_session", "knowledge", {3}, status="done"),  # done: not planned
        act(5, "training_session", "knowledge", {4}, due=date(2027, 3, 1)),  # after go-live
        act(6, "one_to_one", "desire", {20}),  # names the resistant key player
        act(7, "briefing", None, {20}, status="cancelled"),
    ]
    known = replace(facts(people), key_resisters=(20,))  # from the network analysis
    card = scorecard(specs, known, activities)
    by = {r.name: r for r in card.results}
    assert by["Dept"].status is Status.RED and by["Dept"].addressed_by == (2,)
    assert by["Dept"].target_units == ("ED",)
    assert by["Train"].addressed_by == (3,) and not by["Train"].no_action_planned
    assert by["Keys"].addressed_by == (6,) and by["Keys"].target_people == (20,)
    bare = scorecard(specs, known, [])
    assert all(r.no_action_planned for r in bare.results)
    draft = draft_for(bare.results[1])
    assert draft.type.value == "training_session" and set(draft.people) == {1, 2, 3, 4}
    assert draft_for(bare.results[0]).departments == ("ED",)
