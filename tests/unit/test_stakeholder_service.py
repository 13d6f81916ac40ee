"""The stakeholder register service: reads, audited writes, bulk edit, delete and restore."""

from __future__ import annotations

import pytest
from sqlalchemy import func, or_, select

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import AdkarScores, barrier_point, readiness
from cmio_desktop.enums import Attitude, Role
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.stakeholders import edits as service

R = m.Relationship.__table__


def audit_rows(ws, ident: int, field: str | None = None) -> list[m.AuditEvent]:
    with ws.session() as s:
        stmt = select(m.AuditEvent).where(
            m.AuditEvent.entity == "stakeholder", m.AuditEvent.entity_id == ident
        )
        if field is not None:
            stmt = stmt.where(m.AuditEvent.field == field)
        return list(s.scalars(stmt.order_by(m.AuditEvent.id)))


def ties_of(ws, ids: list[int]) -> set[tuple]:
    with ws.session() as s:
        stmt = select(R).where(or_(R.c.source_id.in_(ids), R.c.target_id.in_(ids)))
        return {tuple(row) for row in s.execute(stmt)}


def test_register_rows_are_plain_columns_with_latest_readiness(sample_ws) -> None:
    data = service.register_rows(sample_ws)
    n = len(data)
    assert n == 120 and data.initiative_name == "Ambulatory EHR go-live"
    for column in ("ids", "name", "role", "power", "quadrant", "readiness", "barrier", "flags"):
        assert len(getattr(data, column)) == n
    assert all(isinstance(v, str) for v in data.role)  # enum values, not ORM/enum objects
    # Check one assessed person against their latest round computed by hand.
    A = m.Assessment
    with sample_ws.session() as s:
        row = s.execute(
            select(A)
            .where(A.initiative_id == data.initiative_id)
            .order_by(A.assessed_on.desc(), A.id.desc())
            .limit(1)
        ).scalar_one()
        latest = (
            s.execute(
                select(A)
                .where(
                    A.stakeholder_id == row.stakeholder_id, A.initiative_id == data.initiative_id
                )
                .order_by(A.assessed_on.desc(), A.id.desc())
            )
            .scalars()
            .first()
        )
        scores = AdkarScores(
            latest.awareness, latest.desire, latest.knowledge, latest.ability, latest.reinforcement
        )
    pos = data.ids.index(latest.stakeholder_id)
    assert data.readiness[pos] == pytest.approx(readiness(scores))
    expected = barrier_point(scores)
    assert data.barrier[pos] == (expected.value if expected else None)


def test_register_rows_for_some_ids(sample_ws) -> None:
    data = service.register_rows(sample_ws, ids=[3, 5])
    assert data.ids == [3, 5]


def test_update_writes_audit_rows_and_parses_enum_text(sample_ws) -> None:
    before = service.get_stakeholder(sample_ws, 7)
    new_power = 1 if before.power != 1 else 2
    record = service.update_stakeholder(sample_ws, 7, power=new_power, role="RN")
    assert record.power == new_power and record.role is Role.NURSE
    rows = audit_rows(sample_ws, 7, "power")
    assert rows[-1].old_value == str(before.power) and rows[-1].new_value == str(new_power)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"power": 7}, "power"),
        ({"interest": "high"}, "interest"),
        ({"email": "not an email"}, "email"),
        ({"name": "  "}, "name"),
        ({"role": "astronaut"}, "role"),
        ({"nickname": "x"}, "nickname"),
    ],
)
def test_bad_values_raise_service_errors_naming_the_field(sample_ws, changes, field) -> None:
    with pytest.raises(service.FieldError) as caught:
        service.update_stakeholder(sample_ws, 7, **changes)
    assert caught.value.field == field
    assert isinstance(caught.value, ServiceError) and str(caught.value)
    assert service.validate(changes)[field] == str(caught.value)


def test_blank_email_and_external_id_are_stored_as_null(sample_ws) -> None:
    record = service.update_stakeholder(sample_ws, 7, email="", external_id=" ")
    assert record.email is None and record.external_id is None


def test_duplicate_external_id_is_refused_with_a_sentence(sample_ws) -> None:
    other = service.get_stakeholder(sample_ws, 8)
    with pytest.raises(ServiceError, match="External id is already in use"):
        service.update_stakeholder(sample_ws, 7, external_id=other.external_id)


def test_missing_person_is_not_found(sample_ws) -> None:
    with pytest.raises(NotFoundError):
        service.update_stakeholder(sample_ws, 99_999, power=2)


def test_bulk_update_returns_old_values_and_restore_puts_them_back(sample_ws) -> None:
    ids = list(range(10, 22))
    before = {i: service.get_stakeholder(sample_ws, i) for i in ids}
    old = service.bulk_update(sample_ws, ids, attitude="resistant", site="Offsite").value
    assert set(old) == set(ids)
    assert old[10] == {"attitude": before[10].attitude, "site": before[10].site}
    assert all(service.get_stakeholder(sample_ws, i).attitude is Attitude.RESISTANT for i in ids)
    assert audit_rows(sample_ws, 10, "site")[-1].new_value == "Offsite"
    service.restore_values(sample_ws, old)
    for i in ids:
        after = service.get_stakeholder(sample_ws, i)
        assert (after.attitude, after.site) == (before[i].attitude, before[i].site)
    assert audit_rows(sample_ws, 10, "site")[-1].old_value == "Offsite"


def test_bulk_update_is_all_or_nothing(sample_ws) -> None:
    with pytest.raises(NotFoundError):
        service.bulk_update(sample_ws, [10, 99_999], power=1)
    with pytest.raises(ServiceError):
        service.bulk_update(sample_ws, [10, 11], power=9)
    assert service.get_stakeholder(sample_ws, 10).power != 9


def test_delete_and_restore_bring_back_people_and_ties_with_same_ids(sample_ws) -> None:
    with sample_ws.session() as s:  # two people tied to each other, so the tie is shared
        source, target = s.execute(select(R.c.source_id, R.c.target_id).limit(1)).one()
    ids = [source, target]
    ties = ties_of(sample_ws, ids)
    with sample_ws.session() as s:
        people = s.scalar(select(func.count()).select_from(m.Stakeholder.__table__))
    snapshot = service.delete_stakeholders(sample_ws, ids)
    assert ties_of(sample_ws, ids) == set()
    assert snapshot.count("relationship") == len(ties)
    service.restore(sample_ws, snapshot)
    assert ties_of(sample_ws, ids) == ties
    with sample_ws.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Stakeholder.__table__)) == people
    assert [a.action for a in audit_rows(sample_ws, source)][-2:] == ["delete", "restore"]


def test_create_duplicate_and_custom_fields(sample_ws) -> None:
    created = service.create_stakeholder(sample_ws, name="Nadia Okafor", department="ICU")
    assert created.role is Role.NURSE and created.department == "ICU"
    copy = service.duplicate_stakeholder(sample_ws, 5)
    original = service.get_stakeholder(sample_ws, 5)
    assert copy.id != 5 and copy.name == f"{original.name} (copy)"
    assert copy.external_id is None and copy.title == original.title
    record = service.set_custom_field(sample_ws, created.id, "Pager", "4411")
    assert record.custom_fields == {"Pager": "4411"}
    record = service.set_custom_field(sample_ws, created.id, "Pager", None)
    assert record.custom_fields == {}
    assert audit_rows(sample_ws, created.id, "custom_fields")


def test_distinct_values_for_filters(sample_ws) -> None:
    service.set_custom_field(sample_ws, 4, "Shift", "Night")
    values = service.distinct_values(sample_ws)
    assert "Periop" in values.departments and len(values.sites) == 3
    assert values.departments == sorted(values.departments, key=str.casefold)
    assert values.custom_keys == ["Shift"]


def test_empty_workspace_has_an_empty_register(empty_ws) -> None:
    data = service.register_rows(empty_ws)
    assert len(data) == 0 and data.initiative_id is None
    created = service.create_stakeholder(empty_ws, name="First Person", power="4")
    data = service.register_rows(empty_ws)
    assert data.ids == [created.id] and data.power == [4] and data.readiness == [None]


def test_register_barrier_follows_the_stored_barrier_mode(sample_ws) -> None:
    """'lowest element' mode, saved with the workspace, changes the register's barrier column."""
    from cmio_desktop.services.analysis_settings import save_readiness_settings
    from cmio_desktop.services.stakeholders.register import register_rows

    first = register_rows(sample_ws)
    save_readiness_settings(sample_ws, {"barrier_mode": "lowest"})
    lowest = register_rows(sample_ws)
    assert first.ids == lowest.ids
    changed = [
        i for i, (a, b) in enumerate(zip(first.barrier, lowest.barrier, strict=True)) if a != b
    ]
    assert changed, "some people's first barrier differs from their lowest element"
