"""Risks & governance: the register with its matrix, decisions and requests, all undoable."""

from __future__ import annotations

from datetime import date

import pytest

from cmio_desktop.services.governance import records as governance
from cmio_desktop.ui.common.form_dialog import FormDialog
from cmio_desktop.ui.governance import GovernancePage
from cmio_desktop.ui.governance.page import TABS

TODAY = date(2026, 11, 2)


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = 1
    page = GovernancePage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    return page


def test_risk_register_matrix_and_filters(qtmodeltester, page) -> None:
    qtmodeltester.check(page.risks.model)
    assert page.risks.model.rowCount() == 6
    counts = page.matrix.counts
    assert counts[3][4] == 1 and sum(map(sum, counts)) == 6  # likelihood 4 × impact 5
    page._on_matrix_cell_clicked(4, 5)
    assert [r.description for r in page.risks.model.visible_records] == [
        "Surgeons boycott order-set build sessions"
    ]
    page._on_matrix_cell_clicked(0, 0)
    page.risk_filter.setCurrentIndex(page.risk_filter.findData("critical"))
    assert page.risks.model.rowCount() == 2
    page.matrix.draw_now()


def test_add_edit_delete_risk_with_people_and_undo(qtbot, page, facade, monkeypatch) -> None:
    def fill(dialog: FormDialog) -> int:
        dialog.set_value("description", "Pharmacy interface slips")
        dialog.set_value("likelihood", 5)
        dialog.set_value("impact", 5)
        dialog.set_value("criticality", "critical")
        return 1

    monkeypatch.setattr(FormDialog, "exec", fill)
    page.edits.add_risk()
    row = next(r for r in page.risks.model.records if r.description.startswith("Pharmacy"))
    assert row.score == 25 and page.matrix.counts[4][4] == 1
    page.edits.delete_risks([row])
    assert all(not r.description.startswith("Pharmacy") for r in page.risks.model.records)
    facade.undo_stack.undo()
    facade.undo_stack.undo()
    assert page.risks.model.rowCount() == 6
    first = governance.list_risks(facade.ws, 1)[0]
    old, linked = governance.update_risk(facade.ws, first.id, {}, [1, 2]).value
    assert linked and set(governance.list_risks(facade.ws, 1)[0].people) == {1, 2}


def test_decisions_and_requests_tabs(qtbot, page, facade, monkeypatch, qtmodeltester) -> None:
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        page.tabs.setCurrentIndex(TABS.index("decisions"))
    qtmodeltester.check(page.decisions.model)
    assert page.decisions.model.rowCount() == 4

    def decide(dialog: FormDialog) -> int:
        dialog.set_value("committee", "Nursing Practice Council")
        dialog.set_value("decision", "Barcode scanning mandatory")
        return 1

    monkeypatch.setattr(FormDialog, "exec", decide)
    page.decisions.add_button.click()
    assert page.decisions.model.rowCount() == 5
    facade.undo_stack.undo()
    assert page.decisions.model.rowCount() == 4
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        page.tabs.setCurrentIndex(TABS.index("requests"))
    qtmodeltester.check(page.requests.model)
    assert page.requests.model.rowCount() == 5
    urgent = next(r for r in page.requests.model.records if r.priority == "urgent")

    def close(dialog: FormDialog) -> int:
        dialog.set_value("status", "done")
        return 1

    monkeypatch.setattr(FormDialog, "exec", close)
    page.edits.edit_record("request", urgent)
    assert next(r for r in page.requests.model.records if r.id == urgent.id).status == "done"
    facade.undo_stack.undo()
    assert next(r for r in page.requests.model.records if r.id == urgent.id).status == (
        "in_progress"
    )
