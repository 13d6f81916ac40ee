"""Unclassified people are their own group in the analytics, not dropped or merged."""

from __future__ import annotations

from cmio_desktop import models as m
from cmio_desktop.enums import Role, StakeholderGroup
from cmio_desktop.services import crud
from cmio_desktop.services.readiness.overview import load_overview, summarise


def test_readiness_by_group_and_role_has_an_unclassified_row(sample_ws) -> None:
    for ident in (1, 2, 3):
        crud.update(
            sample_ws, m.Stakeholder, ident, role=Role.UNCLASSIFIED,
            group=StakeholderGroup.UNCLASSIFIED,
        )  # fmt: skip
    with sample_ws.session() as session:
        initiative = session.query(m.Initiative.id).order_by(m.Initiative.id).first()[0]
    data = load_overview(sample_ws, initiative)
    for grouping in ("group", "role"):
        rows = {row.label: row for row in summarise(data, grouping).rows}
        assert "Unclassified" in rows, grouping
        assert sorted(rows["Unclassified"].members) == [1, 2, 3]
