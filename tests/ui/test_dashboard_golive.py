"""The dashboard's go/no-go card agrees with the Go-live page and ``cmio golive``: an
initiative without criteria is "Not assessed", never GO."""

from __future__ import annotations

import json
from datetime import date

from cmio_desktop.cli import main
from cmio_desktop.services import initiatives
from cmio_desktop.ui.dashboard.page import DashboardPage

TODAY = date(2026, 11, 2)


def test_no_criteria_shows_not_assessed_like_the_cli(qtbot, facade, capsys) -> None:
    ident = initiatives.create_initiative(facade.ws, "Lab system", date(2027, 6, 1)).value
    facade.initiative_id = ident
    page = DashboardPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignals([page.summary_loaded, page.network_loaded], timeout=30_000):
        page.show()
    card = page.cards["golive"]
    assert card.value.text() == "Not assessed"
    assert "No criteria yet" in card.note.text()
    page.wait()
    args = ["golive", str(facade.ws.path), "--json", "--initiative", str(ident)]
    assert main([*args, "--today", TODAY.isoformat()]) == 0
    assert json.loads(capsys.readouterr().out)["overall"] == "not_assessed"
