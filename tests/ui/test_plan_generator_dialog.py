"""The plan generator dialog: leaders shown, blackout weeks edited as one undo step and the
proposals regenerated around them."""

from __future__ import annotations

from datetime import date

import pytest

from cmio_desktop.analysis.plan_calendar import monday
from cmio_desktop.services.plan.settings import generator_settings
from cmio_desktop.ui.plan import PlanPage
from cmio_desktop.ui.plan.generator_dialog import GeneratorDialog

TODAY = date(2026, 11, 2)


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = 1
    page = PlanPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    return page


def test_blackout_weeks_are_edited_in_the_dialog_as_one_undo_step(
    qtbot, page, facade, monkeypatch, qtmodeltester
) -> None:
    seen: dict[str, object] = {}

    def review(dialog: GeneratorDialog) -> int:
        qtbot.waitUntil(lambda: dialog.generation is not None, timeout=30_000)
        qtmodeltester.check(dialog.model)
        assert dialog.blackout_edit.text() == "24 Dec – 1 Jan"
        before = [p for p in dialog.model.records if monday(p.start) == date(2026, 11, 9)]
        assert before  # something is planned in w/c 9 Nov with the default blackout
        model = dialog.model
        led = [row for row in range(model.rowCount()) if model.record(row).leader is not None]
        assert led and all(
            model.data(model.index(row, 6)) == model.record(row).owner for row in led
        )
        dialog.blackout_edit.setText("bogus")
        dialog.blackout_button.click()
        assert "is not a period" in dialog.status.text()
        steps = facade.undo_stack.count()
        dialog.blackout_edit.setText("9 Nov – 13 Nov, 24 Dec – 1 Jan")
        dialog.blackout_button.click()
        assert facade.undo_stack.count() == steps + 1
        qtbot.waitUntil(lambda: dialog.generation is not None, timeout=30_000)
        assert not [p for p in dialog.model.records if monday(p.start) == date(2026, 11, 9)]
        seen["rows"] = dialog.model.rowCount()
        return 0

    monkeypatch.setattr(GeneratorDialog, "exec", review)
    page.activities.generate_button.click()
    assert seen["rows"]
    assert generator_settings(facade.ws).blackout == ((11, 9, 11, 13), (12, 24, 1, 1))
    facade.undo_stack.undo()
    assert generator_settings(facade.ws).blackout == ((12, 24, 1, 1),)
