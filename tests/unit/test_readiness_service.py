"""Readiness services: assessments round trip with audit, survey rounds in one transaction,
bad input refused with nothing written, derived values from analysis.adkar, settings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from cmio_desktop import models as m
from cmio_desktop.analysis import adkar
from cmio_desktop.analysis.adkar import AdkarScores, ReadinessSettings
from cmio_desktop.enums import AdkarElement
from cmio_desktop.services import analysis_settings as readiness_settings
from cmio_desktop.services.audit import audit_trail
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.readiness import assessments as readiness
from cmio_desktop.services.readiness import overview as readiness_overview
from cmio_desktop.services.readiness.assessments import AssessmentInputError, RoundEntry
from cmio_desktop.services.readiness.rounds import survey_departments, survey_people
from tests.conftest import SAMPLE_TODAY

INITIATIVE = 1
DAY = SAMPLE_TODAY - timedelta(days=1)


def count(ws, table: str = "assessment") -> int:
    with ws.session() as s:
        return int(s.scalar(select(func.count()).select_from(m.Base.metadata.tables[table])))


def trail(ws, entity: str = "assessment", entity_id: int | None = None):
    with ws.session() as s:
        return audit_trail(s, entity, entity_id)


def icu(ws) -> list[int]:
    return [p.id for p in survey_people(ws, "ICU")]


# -- one assessment -----------------------------------------------------------------------------


def test_add_edit_delete_restore_round_trip_with_audit(sample_ws) -> None:
    person = icu(sample_ws)[0]
    before = count(sample_ws)
    row = readiness.add_assessment(
        sample_ws, person, INITIATIVE, DAY, [2, 3, 4, 5, 5], "Survey", " first ", today=SAMPLE_TODAY
    )
    assert (row.readiness, row.barrier, row.note) == (3.8, AdkarElement.AWARENESS, "first")
    assert count(sample_ws) == before + 1
    assert [e.action for e in trail(sample_ws, entity_id=row.id)] == ["create"]

    updated = readiness.update_assessment(sample_ws, row.id, knowledge="2", note="fixed")
    assert updated.scores == AdkarScores(2, 3, 2, 5, 5)
    fields = {e.field: (e.old_value, e.new_value) for e in trail(sample_ws, entity_id=row.id)}
    assert fields["knowledge"] == ("4", "2") and fields["note"] == ("first", "fixed")

    rounds = readiness.person_rounds(sample_ws, person, INITIATIVE)
    assert rounds[-1].id == row.id
    assert rounds[-1].change == pytest.approx(rounds[-1].readiness - rounds[-2].readiness)

    snapshot = readiness.delete_assessments(sample_ws, [row.id])
    assert count(sample_ws) == before
    readiness.restore_assessments(sample_ws, snapshot)
    assert readiness.get_assessment(sample_ws, row.id) == updated
    actions = [e.action for e in trail(sample_ws, entity_id=row.id)]
    assert actions[:2] == ["restore", "delete"]


def test_person_rounds_are_oldest_first_with_change(sample_ws) -> None:
    person = icu(sample_ws)[0]
    rounds = readiness.person_rounds(sample_ws, person, INITIATIVE)
    assert rounds == sorted(rounds, key=lambda r: (r.assessed_on, r.id))
    assert rounds[0].change is None
    for earlier, later in zip(rounds, rounds[1:], strict=False):
        assert later.change == pytest.approx(later.readiness - earlier.readiness)


# -- survey rounds --------------------------------------------------------------------------------


def test_record_round_is_one_transaction_and_undoable(sample_ws) -> None:
    people = icu(sample_ws)[:3]
    before, audits = count(sample_ws), count(sample_ws, "audit_event")
    scores = {people[0]: [3, 4, 5, 2, 1], people[1]: (5, 5, 5, 5, 5)}
    entries = {
        **scores,
        people[2]: RoundEntry(
            people[2],
            {"awareness": "4", "desire": 4, "knowledge": 4.0, "ability": 4, "reinforcement": 4},
            "ok",
        ),
    }
    recorded = readiness.record_round(
        sample_ws, INITIATIVE, DAY.isoformat(), entries, "Change team", today=SAMPLE_TODAY
    )
    assert len(recorded.created) == 3 and recorded.people == 3
    assert count(sample_ws) == before + 3
    assert count(sample_ws, "audit_event") == audits + 3
    latest = readiness.latest_readiness(sample_ws, INITIATIVE, people)
    assert latest[people[0]].scores == AdkarScores(3, 4, 5, 2, 1)
    assert latest[people[0]].assessed_on == DAY

    # the same day again overwrites (no same-day duplicates) and can be undone and redone
    again = readiness.record_round(
        sample_ws, INITIATIVE, DAY, {people[0]: [1, 1, 1, 1, 1]}, today=SAMPLE_TODAY
    )
    assert again.created == () and list(again.replaced) == [recorded.created[0]]
    assert count(sample_ws) == before + 3
    readiness.undo_round(sample_ws, again)
    assert readiness.latest_readiness(sample_ws, INITIATIVE, people)[people[0]].scores == (
        AdkarScores(3, 4, 5, 2, 1)
    )
    snapshot = readiness.undo_round(sample_ws, recorded).value
    assert count(sample_ws) == before
    readiness.redo_round(sample_ws, recorded, snapshot)
    assert count(sample_ws) == before + 3
    assert readiness.round_on(sample_ws, INITIATIVE, DAY, people)[people[2]][1] == "ok"


@pytest.mark.parametrize(
    ("scores", "day", "fields"),
    [
        ({"p": [0, 3, 3, 3, 3]}, DAY, ["awareness"]),
        ({"p": [3, 6, 3, 3, 3]}, DAY, ["desire"]),
        ({"p": [3, 3, "x", 3, 3]}, DAY, ["knowledge"]),
        ({"p": [3, 3, 3, 2.5, 3]}, DAY, ["ability"]),
        ({"p": [3, 3, 3]}, DAY, ["ability", "reinforcement"]),
        ({"p": {"awareness": 3}}, DAY, ["desire", "knowledge", "ability", "reinforcement"]),
        ({"p": [3, 3, 3, 3, 3]}, SAMPLE_TODAY + timedelta(days=1), ["assessed_on"]),
        ({"p": [3, 3, 3, 3, 3]}, "2026-13-40", ["assessed_on"]),
        ({"p": [3, 3, 3, 3, 3]}, "yesterday", ["assessed_on"]),
        ({999_999: [3, 3, 3, 3, 3]}, DAY, ["person"]),
        ({}, DAY, ["scores"]),
    ],
)
def test_bad_round_input_is_reported_and_nothing_written(sample_ws, scores, day, fields) -> None:
    person = icu(sample_ws)[0]
    scores = {person if k == "p" else k: v for k, v in scores.items()}
    if scores:
        scores[icu(sample_ws)[1]] = [4, 4, 4, 4, 4]  # a good line is not written either
    before, audits = count(sample_ws), count(sample_ws, "audit_event")
    with pytest.raises(AssessmentInputError) as error:
        readiness.record_round(sample_ws, INITIATIVE, day, scores, today=SAMPLE_TODAY)
    assert [p.field for p in error.value.problems] == fields
    assert str(error.value)
    assert (count(sample_ws), count(sample_ws, "audit_event")) == (before, audits)


def test_bad_single_assessment_input(sample_ws) -> None:
    person = icu(sample_ws)[0]
    before = count(sample_ws)
    with pytest.raises(AssessmentInputError, match="Awareness: 9 is outside 1–5"):
        readiness.add_assessment(sample_ws, person, INITIATIVE, DAY, [9, 3, 3, 3, 3])
    with pytest.raises(AssessmentInputError, match="no stakeholder"):
        readiness.add_assessment(sample_ws, 999_999, INITIATIVE, DAY, [3, 3, 3, 3, 3])
    with pytest.raises(NotFoundError):
        readiness.add_assessment(sample_ws, person, 99, DAY, [3, 3, 3, 3, 3])
    row = readiness.person_rounds(sample_ws, person, INITIATIVE)[-1]
    with pytest.raises(AssessmentInputError, match="future"):
        readiness.update_assessment(sample_ws, row.id, assessed_on=date(2999, 1, 1))
    with pytest.raises(ServiceError, match="no field"):
        readiness.update_assessment(sample_ws, row.id, colour="red")
    assert count(sample_ws) == before
    assert readiness.get_assessment(sample_ws, row.id).scores == row.scores


def test_survey_people_by_department(sample_ws) -> None:
    departments = dict(survey_departments(sample_ws))
    assert departments["ICU"] == len(icu(sample_ws)) > 0
    names = [p.name for p in survey_people(sample_ws, "ICU")]
    assert names == sorted(names)


# -- derived values -------------------------------------------------------------------------------


def test_latest_readiness_uses_analysis_adkar(sample_ws) -> None:
    with sample_ws.session() as s:
        rounds = readiness.load_assessments(s, INITIATIVE)
    expected = adkar.latest_per_person(rounds)
    views = readiness.latest_readiness(sample_ws, INITIATIVE)
    assert set(views) == set(expected)
    for pid, view in views.items():
        pr = expected[pid]
        assert view.scores == pr.scores and view.readiness == pr.readiness
        assert view.change == pr.change and view.rounds == pr.rounds
        assert view.barrier == adkar.barrier_point(pr.scores, "first")
        assert view.ready == adkar.is_ready(pr.scores)
        assert view.seam_gap is not None


def test_barrier_mode_setting_is_stored_audited_and_used(sample_ws) -> None:
    assert readiness_settings.readiness_settings(sample_ws) == ReadinessSettings()
    old = readiness_settings.save_readiness_settings(
        sample_ws, {"barrier_mode": "lowest", "ready_threshold": "3.5"}
    ).value
    assert old == {"barrier_mode": None, "ready_threshold": None}
    stored = readiness_settings.readiness_settings(sample_ws)
    assert (stored.barrier_mode, stored.ready_threshold) == ("lowest", 3.5)
    with sample_ws.session() as s:  # the network service reads the same keys
        assert network.readiness_settings_in(s) == stored
    assert {e.field for e in trail(sample_ws, "workspace_setting")} == {
        "readiness.barrier_mode",
        "readiness.ready_threshold",
    }
    for pid, view in readiness.latest_readiness(sample_ws, INITIATIVE).items():
        assert view.barrier == adkar.barrier_point(view.scores, "lowest"), pid
    readiness_settings.save_readiness_settings(sample_ws, old)  # undo removes the keys
    assert readiness_settings.readiness_settings(sample_ws) == ReadinessSettings()
    for bad in (
        {"barrier_mode": "middle"},
        {"ready_threshold": 7},
        {"colour": 1},
        {"barrier_max": 2.5},
        {"ready_threshold": "high"},
    ):
        with pytest.raises(ServiceError):
            readiness_settings.save_readiness_settings(sample_ws, bad)


def test_overview_groups_rounds_and_drops(sample_ws) -> None:
    data = readiness_overview.load_overview(sample_ws, INITIATIVE)
    assert len(data.rounds) == 4  # the sample's four survey rounds
    assert data.assessed == len(readiness.latest_readiness(sample_ws, INITIATIVE))
    summary = readiness_overview.summarise(data, "department")
    assert sum(len(r.members) for r in summary.rows) == data.people
    readiness_values = [r.readiness for r in summary.rows if r.readiness is not None]
    assert readiness_values == sorted(readiness_values)
    row = summary.rows[0]
    latest = {p: data.latest[p].scores for p in row.assessed}
    expected = adkar.group_readiness(latest, dict.fromkeys(row.members, "g"))["g"]
    assert row.readiness == pytest.approx(expected.mean_readiness)
    assert len(row.trend) == 4
    weakest = row.weakest
    assert row.element_means[weakest] == min(row.element_means)
    people = readiness_overview.cell_people(data, row, weakest)
    element = tuple(AdkarElement)[weakest]
    assert people == [p for p in row.assessed if data.latest[p].scores[element] <= 3]
    for grouping in readiness_overview.GROUPINGS:
        assert readiness_overview.summarise(data, grouping).rows
    drops = readiness_overview.dropped(data)
    assert drops and all(d.change < 0 for d in drops)
    assert [d.change for d in drops] == sorted(d.change for d in drops)
