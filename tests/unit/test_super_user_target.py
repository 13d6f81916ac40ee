"""The super-user target (criterion threshold or workspace setting), assigning several people
at once, and when each assignment was made."""

from __future__ import annotations

import pytest

from cmio_desktop.services.changes import ChangeKind
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.governance import golive, super_users
from cmio_desktop.services.stakeholders import edits

METRIC = "super_users_per_frontline"


def _criterion(ws):
    return next(s for s in golive.criteria_specs(ws, 1) if s.metric == METRIC)


def test_the_target_is_the_criterion_threshold_and_its_template_name_follows(sample_ws) -> None:
    assert super_users.target_per_users(sample_ws, 1) == 10
    assert super_users.target_source(sample_ws, 1) == "criterion"
    written = super_users.save_target(sample_ws, 1, 4)
    assert written.value == 10
    assert written.changes.kinds == {ChangeKind.CRITERION, ChangeKind.SUPER_USER}
    spec = _criterion(sample_ws)
    assert spec.threshold == pytest.approx(0.25)
    assert spec.name == "≥ 1 super user per 4 frontline users per unit"
    assert {c.target_ratio for c in super_users.coverage(sample_ws, 1)} == {0.25}
    # A name the user chose is kept; only the threshold moves.
    golive.update_criterion(sample_ws, spec.id, {"name": "Enough super users"})
    super_users.save_target(sample_ws, 1, 12.5)
    assert _criterion(sample_ws).name == "Enough super users"
    assert super_users.target_per_users(sample_ws, 1) == pytest.approx(12.5)


def test_without_a_criterion_the_target_is_a_workspace_setting(sample_ws) -> None:
    golive.delete_criteria(sample_ws, [_criterion(sample_ws).id])
    assert super_users.target_source(sample_ws, 1) == "setting"
    written = super_users.save_target(sample_ws, 1, "20")
    assert written.value == 10
    assert ChangeKind.WORKSPACE_SETTING in written.changes.kinds
    assert super_users.target_per_users(sample_ws, 1) == 20
    assert super_users.target_per_users(sample_ws, None) == 20


@pytest.mark.parametrize(
    ("value", "sentence"),
    [
        ("lots", "must be a number of frontline users, not “lots”"),
        (0.5, "one super user per 1 to 1,000 frontline users"),
        (5000, "one super user per 1 to 1,000"),
        (float("nan"), "one super user per 1 to 1,000"),
        (True, "must be a number"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_changes(sample_ws, value, sentence) -> None:
    with pytest.raises(ServiceError, match=sentence):
        super_users.save_target(sample_ws, 1, value)
    assert super_users.target_per_users(sample_ws, 1) == 10


def test_assign_many_is_all_or_none(sample_ws) -> None:
    before = super_users.roster(sample_ws)
    with pytest.raises(ServiceError, match="Luis Perez is already a super user"):
        super_users.assign_many(sample_ws, [47, 93], "Ambulatory Clinics", "day")
    assert super_users.roster(sample_ws) == before
    assert edits.get_stakeholder(sample_ws, 47).super_user is False
    with pytest.raises(ServiceError, match="Pick at least one person"):
        super_users.assign_many(sample_ws, [], "ICU")
    with pytest.raises(ServiceError, match="Give the unit"):
        super_users.assign_many(sample_ws, [47], " ")

    written = super_users.assign_many(sample_ws, [47, 93, 47], "ICU", "night")
    assert len(written.value.ids) == 2 and written.value.were_flagged == [93]
    made, start = super_users.assigned_since(sample_ws)
    assert set(written.value.ids) <= set(made) and start is not None
    assert all(made[i] >= start for i in written.value.ids)
    # Undo keeps the flag of someone flagged before the assignment.
    super_users.unassign(sample_ws, written.value.ids, keep_flag=written.value.were_flagged)
    assert edits.get_stakeholder(sample_ws, 93).super_user is True
    assert edits.get_stakeholder(sample_ws, 47).super_user is False
    assert super_users.roster(sample_ws) == before
