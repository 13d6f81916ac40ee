"""Generic audited CRUD: one transaction per call, an audit row per write, clear errors."""

from __future__ import annotations

import pytest

from cmio_desktop import models as m
from cmio_desktop.enums import Attitude, Role
from cmio_desktop.services import crud
from cmio_desktop.services.errors import NotFoundError, ServiceError
from tests.raw_rows import raw_rows


def audit_rows(ws) -> list[tuple]:
    return raw_rows(
        ws,
        "SELECT action, entity, entity_id, field, old_value, new_value, user_name "
        "FROM audit_event ORDER BY id",
    )


def person(ws, name: str = "Dr. Ada Okafor", **extra):
    values = dict(organisation_id=1, name=name, role="physician", group="clinical leader")
    values.update(extra)
    return crud.create(ws, m.Stakeholder, **values)


def test_create_returns_plain_record_and_audits(empty_ws) -> None:
    record = person(empty_ws, power=5)
    assert record.role is Role.PHYSICIAN
    assert record.power == 5
    assert not hasattr(record, "_sa_instance_state")
    action, entity, entity_id, _field, _old, new, user = audit_rows(empty_ws)[-1]
    assert (action, entity, entity_id) == ("create", "stakeholder", record.id)
    assert '"name": "Dr. Ada Okafor"' in new
    assert user


def test_update_audits_each_changed_field_with_old_and_new(empty_ws) -> None:
    record = person(empty_ws)
    crud.update(empty_ws, m.Stakeholder, record.id, power=4, attitude="Resistant", title="")
    rows = [r for r in audit_rows(empty_ws) if r[0] == "update"]
    assert sorted((r[3], r[4], r[5]) for r in rows) == [
        ("attitude", "neutral", "resistant"),
        ("power", "3", "4"),
    ]
    assert crud.get(empty_ws, m.Stakeholder, record.id).attitude is Attitude.RESISTANT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"power": 0}, r"Power \(rated\) must be between 1 and 5"),
        ({"interest": 6}, "Interest must be between 1 and 5"),
        ({"role": "wizard"}, "Role: 'wizard' is not one of"),
        ({"favourite_colour": "teal"}, "no field 'favourite_colour'"),
    ],
)
def test_bad_values_become_clear_errors_and_change_nothing(empty_ws, changes, message) -> None:
    record = person(empty_ws)
    before = audit_rows(empty_ws)
    with pytest.raises(ServiceError, match=message):
        crud.update(empty_ws, m.Stakeholder, record.id, **changes)
    assert audit_rows(empty_ws) == before
    assert crud.get(empty_ws, m.Stakeholder, record.id).power == 3


def test_foreign_key_and_unique_violations_are_sentences(empty_ws) -> None:
    a, b = person(empty_ws, "A"), person(empty_ws, "B", external_id="E1")
    with pytest.raises(ServiceError, match="no longer exists"):
        crud.create(empty_ws, m.Relationship, source_id=a.id, target_id=999)
    with pytest.raises(ServiceError, match="cannot influence themselves"):
        crud.create(empty_ws, m.Relationship, source_id=a.id, target_id=a.id)
    crud.create(empty_ws, m.Relationship, source_id=a.id, target_id=b.id)
    with pytest.raises(ServiceError, match="tie already exists"):
        crud.create(empty_ws, m.Relationship, source_id=a.id, target_id=b.id)
    with pytest.raises(ServiceError, match="External id is already in use"):
        crud.update(empty_ws, m.Stakeholder, a.id, external_id="E1")


def test_delete_cascades_and_restore_puts_back_exact_rows(empty_ws) -> None:
    a, b, c = person(empty_ws, "A"), person(empty_ws, "B"), person(empty_ws, "C")
    t1 = crud.create(empty_ws, m.Relationship, source_id=a.id, target_id=b.id, strength=5)
    t2 = crud.create(empty_ws, m.Relationship, source_id=c.id, target_id=a.id, strength=2)
    initiative = crud.create(empty_ws, m.Initiative, organisation_id=1, name="EHR")
    request = crud.create(
        empty_ws,
        m.Request,
        initiative_id=initiative.id,
        requester_id=a.id,
        summary="Order panel",
        received_on=__import__("datetime").date.today(),
    )
    snapshot = crud.delete_rows(empty_ws, m.Stakeholder, [a.id])
    assert snapshot.count("relationship") == 2
    assert crud.list_all(empty_ws, m.Relationship) == []
    assert crud.get(empty_ws, m.Request, request.id).requester_id is None  # SET NULL, kept
    crud.restore(empty_ws, snapshot)
    ties = {
        (t.id, t.source_id, t.target_id, t.strength)
        for t in crud.list_all(empty_ws, m.Relationship)
    }
    assert ties == {(t1.id, a.id, b.id, 5), (t2.id, c.id, a.id, 2)}
    assert crud.get(empty_ws, m.Request, request.id).requester_id == a.id
    # Every row the delete took (the person, both ties) and the reference it cleared is in
    # the trail, and so is each one the restore put back.
    trail = [r[:4] for r in audit_rows(empty_ws)][-8:]
    for half, action in ((trail[:4], "delete"), (trail[4:], "restore")):
        assert half[0] == (action, "stakeholder", a.id, None)
        assert sorted(half[1:3]) == [
            (action, "relationship", t1.id, None),
            (action, "relationship", t2.id, None),
        ]
        assert half[3] == ("update", "request", request.id, "requester_id")


def test_missing_row_is_not_found(empty_ws) -> None:
    with pytest.raises(NotFoundError, match="no longer exists"):
        crud.update(empty_ws, m.Stakeholder, 12345, power=2)


@pytest.mark.parametrize("entity", list(crud.ENTITIES.values()), ids=list(crud.ENTITIES))
def test_every_entity_has_a_record_type(entity) -> None:
    record_cls = crud.record_type(entity)
    assert record_cls.__dataclass_params__.frozen


def test_deleting_both_ends_of_a_tie_restores_it_once(empty_ws) -> None:
    a, b = person(empty_ws, "A"), person(empty_ws, "B")
    crud.create(empty_ws, m.Relationship, source_id=a.id, target_id=b.id)
    crud.create(empty_ws, m.Relationship, source_id=b.id, target_id=a.id)
    snapshot = crud.delete_rows(empty_ws, m.Stakeholder, [a.id, b.id])
    assert snapshot.count("relationship") == 2
    crud.restore(empty_ws, snapshot)
    assert len(crud.list_all(empty_ws, m.Relationship)) == 2
