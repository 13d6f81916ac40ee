"""Every registry field with a register column is a column of the register table, showing the
stored value (the phone number was added to the register in the field registry alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.services.stakeholders.edits import register_rows
from cmio_desktop.stakeholder_fields import REGISTER_FIELDS, field
from cmio_desktop.ui.stakeholders.register_view import RegisterView
from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel

S = m.Stakeholder.__table__
HORIZONTAL = Qt.Orientation.Horizontal


def test_register_fields_are_register_columns_with_stored_values(qtbot, workspace) -> None:
    model = StakeholderTableModel()
    model.set_register(register_rows(workspace))
    headers = [model.headerData(c, HORIZONTAL) for c in range(model.columnCount())]
    for spec in REGISTER_FIELDS:
        assert spec.label in headers, spec.key
    with workspace.read_session() as session:
        stored = dict(session.execute(select(S.c.id, S.c.phone)).all())
    phone = headers.index("Phone")
    shown = {
        model.data(model.index(r, 0), StakeholderTableModel.IdRole): model.data(
            model.index(r, phone)
        )
        for r in range(model.rowCount())
    }
    assert shown == stored and any(stored.values())
    assert model.headerData(phone, HORIZONTAL, Qt.ItemDataRole.ToolTipRole) == (
        field("phone").register.tooltip  # type: ignore[union-attr]
    )


def test_phone_sorts_and_sits_after_email_by_default(qtbot, workspace) -> None:
    model = StakeholderTableModel()
    model.set_register(register_rows(workspace))
    view = RegisterView(model)
    qtbot.addWidget(view)
    header = view.horizontalHeader()
    titles = [model.headerData(header.logicalIndex(v), HORIZONTAL) for v in range(header.count())]
    assert titles[:3] == ["Name", "Attitude", "Readiness"]
    assert titles.index("Phone") == titles.index("Email") + 1
    assert titles.index("Network influence") == titles.index("Power (rated)") + 1
    phone = [model.headerData(c, HORIZONTAL) for c in range(model.columnCount())].index("Phone")
    model.sort(phone, Qt.SortOrder.AscendingOrder)
    values = [model.data(model.index(r, phone)) for r in range(model.rowCount())]
    assert values == sorted(values, key=str.casefold)


def test_model_passes_the_model_tester(qtmodeltester, workspace) -> None:
    model = StakeholderTableModel()
    model.set_register(register_rows(workspace))
    qtmodeltester.check(model)
