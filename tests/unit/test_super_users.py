"""The super-user roster per unit and shift, its coverage, and the go-live criterion fed by it."""

from __future__ import annotations

import pytest

from cmio_desktop.enums import StakeholderGroup
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.governance import golive, super_users
from cmio_desktop.services.stakeholders import edits
from tests.conftest import SAMPLE_TODAY


def _frontline(ws, department: str) -> list:
    people = [edits.get_stakeholder(ws, i) for i in range(1, 121)]
    return [
        p for p in people
        if p.department == department and p.group == StakeholderGroup.FRONTLINE_CLINICIAN
    ]  # fmt: skip


def _result(ws):
    card = golive.evaluate(ws, 1, SAMPLE_TODAY)
    return next(r for r in card.results if r.spec.metric == "super_users_per_frontline")


def test_the_roster_feeds_the_criterion_per_unit(sample_ws) -> None:
    before = _result(sample_ws)  # the sample has the criterion, with no super users behind it
    coverage = {c.unit: c for c in super_users.coverage(sample_ws, 1)}
    unit = max(coverage, key=lambda u: coverage[u].frontline)
    staff = _frontline(sample_ws, unit)
    need = coverage[unit].needed
    assert need >= 1 and coverage[unit].target_ratio == pytest.approx(0.1)
    # A helper from another department can support this unit, on nights.
    helper = next(p for p in (edits.get_stakeholder(sample_ws, i) for i in range(1, 121))
                  if p.department != unit and not p.super_user)  # fmt: skip
    ids = [super_users.assign(sample_ws, helper.id, unit, "night").value]
    ids += [super_users.assign(sample_ws, p.id, unit).value for p in staff[: need - 1]]
    assert edits.get_stakeholder(sample_ws, helper.id).super_user is True
    after = {c.unit: c for c in super_users.coverage(sample_ws, 1)}[unit]
    assert after.needed == 0 and after.super_users == coverage[unit].super_users + need
    assert after.shifts["night"] == after.super_users
    assert after.shifts["day"] == after.super_users - 1  # the helper only does nights
    result = _result(sample_ws)
    assert unit in before.target_units and unit not in result.target_units

    removed = super_users.unassign(sample_ws, ids[:1]).value
    assert edits.get_stakeholder(sample_ws, helper.id).super_user is False
    super_users.restore(sample_ws, removed)
    assert edits.get_stakeholder(sample_ws, helper.id).super_user is True
    assert any(
        r.person_id == helper.id and r.shift == "night" for r in super_users.roster(sample_ws)
    )


def test_bad_assignments_get_a_sentence(sample_ws) -> None:
    with pytest.raises(ServiceError, match="Give the unit"):
        super_users.assign(sample_ws, 7, "  ")
    with pytest.raises(ServiceError, match="is not a shift"):
        super_users.assign(sample_ws, 7, "ICU", "fortnightly")
    super_users.assign(sample_ws, 7, "ICU", "day")
    with pytest.raises(ServiceError, match="already a super user for ICU"):
        super_users.assign(sample_ws, 7, "ICU", "day")


def test_a_flagged_person_without_assignment_counts_in_their_department(sample_ws) -> None:
    person = edits.get_stakeholder(sample_ws, 7)
    edits.update_stakeholder(sample_ws, 7, super_user=True)
    rows = [r for r in super_users.roster(sample_ws) if r.person_id == 7]
    assert [(r.id, r.unit, r.shift) for r in rows] == [(None, person.department, "all")]
