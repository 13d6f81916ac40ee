"""Typed change events (issue #14 item 1): a training import and its undo refresh the Plan and
Go-live pages — the first version announced "training_completion", which neither listened for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.services.changes import ChangeKind, ChangeSet, changes_of
from cmio_desktop.services.governance import golive
from cmio_desktop.services.importing.run import commit_import
from cmio_desktop.services.plan import training
from cmio_desktop.ui.golive import GoLivePage
from cmio_desktop.ui.import_wizard.commands import ImportCommand
from cmio_desktop.ui.plan import PlanPage
from cmio_desktop.ui.plan.page import TABS
from tests.unit.test_importing_helpers import plan_file, table_rows, write_xlsx

TODAY = date(2026, 11, 2)


@pytest.fixture
def pages(qtbot, facade):
    facade.initiative_id = 1
    plan_page = PlanPage(facade, clock=lambda: TODAY)
    golive_page = GoLivePage(facade, clock=lambda: TODAY)
    for page in (plan_page, golive_page):
        qtbot.addWidget(page)
        page.resize(1280, 820)
    with qtbot.waitSignal(plan_page.refreshed, timeout=10_000):
        plan_page.show()
    with qtbot.waitSignal(plan_page.refreshed, timeout=10_000):
        plan_page.tabs.setCurrentIndex(TABS.index("training"))
    with qtbot.waitSignal(golive_page.refreshed, timeout=10_000):
        golive_page.show()
    return plan_page, golive_page


def shown_completions(page: PlanPage) -> dict[str, int]:
    return {r.name: r.completed for r in page.training.courses.records}


def stored_completions(ws) -> dict[str, int]:
    return {c.name: c.completed for c in training.training_overview(ws, 1).courses}


def shown_values(page: GoLivePage) -> dict[str, float | None]:
    return {r.spec.name: r.value for r in page.table.model.records}


def stored_values(ws) -> dict[str, float | None]:
    return {r.spec.name: r.value for r in golive.evaluate(ws, 1, TODAY).results}


def training_file(ws, tmp_path: Path) -> Path:
    """Completions for everyone still missing a required course, as an HR system exports them."""
    overview = training.training_overview(ws, 1)
    course_of = {c.name: c for c in overview.courses}
    ids = dict(table_rows(ws, "SELECT id, external_id FROM stakeholder"))
    rows = [
        [ids[person.person_id], course, TODAY, "Proficient"]
        for person in overview.untrained
        for course in person.missing
        if course in course_of
    ]
    assert rows, "the sample has untrained people"
    header = ["Employee ID", "Course", "Completed on", "Proficiency"]
    return write_xlsx(tmp_path / "lms-export.xlsx", [header, *rows])


def test_a_training_import_and_its_undo_refresh_the_plan_and_go_live_pages(
    qtbot, pages, facade, tmp_path: Path
) -> None:
    plan_page, golive_page = pages
    before_plan, before_golive = shown_completions(plan_page), shown_values(golive_page)
    assert before_plan == stored_completions(facade.ws)

    outcome = commit_import(
        facade.ws, plan_file(facade.ws, training_file(facade.ws, tmp_path), "training")
    )
    assert outcome.created + outcome.updated > 0
    assert changes_of(outcome).touches({ChangeKind.TRAINING})
    # What the import wizard does once the commit is in: one undo step, then the announcement.
    facade.undo_stack.push(ImportCommand(facade, outcome.token))
    with (
        qtbot.waitSignal(plan_page.refreshed, timeout=10_000),
        qtbot.waitSignal(golive_page.refreshed, timeout=10_000),
    ):
        facade.announce(outcome.changes)
    assert shown_completions(plan_page) == stored_completions(facade.ws) != before_plan
    assert shown_values(golive_page) == stored_values(facade.ws) != before_golive

    with (
        qtbot.waitSignal(plan_page.refreshed, timeout=10_000),
        qtbot.waitSignal(golive_page.refreshed, timeout=10_000),
    ):
        facade.undo_stack.undo()
    assert shown_completions(plan_page) == before_plan
    assert shown_values(golive_page) == before_golive

    with (
        qtbot.waitSignal(plan_page.refreshed, timeout=10_000),
        qtbot.waitSignal(golive_page.refreshed, timeout=10_000),
    ):
        facade.undo_stack.redo()
    assert shown_completions(plan_page) == stored_completions(facade.ws) != before_plan


def test_a_change_set_touches_only_what_it_names_unless_it_is_everything() -> None:
    training_only = ChangeSet.of(ChangeKind.TRAINING, ids=[3])
    assert training_only.touches({ChangeKind.TRAINING, ChangeKind.ACTIVITY})
    assert not training_only.touches({ChangeKind.RISK})
    assert not training_only.touches(set())
    assert ChangeSet.everything().touches({ChangeKind.RISK})
    both = training_only | ChangeSet.of("risk", ids=[4])
    assert both.kinds == {ChangeKind.TRAINING, ChangeKind.RISK} and both.ids == {3, 4}
    assert ChangeSet.of_tables(["training_completion", "risk_stakeholder"]).kinds == {
        ChangeKind.TRAINING,
        ChangeKind.RISK,
    }
    with pytest.raises(TypeError):
        changes_of(42)  # a write that forgot to say what it changed


def test_the_facade_refuses_a_plain_string(facade) -> None:
    with pytest.raises(TypeError):
        facade.announce("training")  # type: ignore[arg-type]


def test_a_readiness_setting_reloads_the_dashboards_network_cards(qtbot, facade) -> None:
    """The first version's dashboard listened for "settings" (never sent) for its network
    cards; a readiness threshold moves who is ready and who is a key resister."""
    from cmio_desktop.services.analysis_settings import save_readiness_settings
    from cmio_desktop.ui.dashboard.page import DashboardPage

    facade.initiative_id = 1
    page = DashboardPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignals([page.summary_loaded, page.network_loaded], timeout=30_000):
        page.show()
    written = save_readiness_settings(facade.ws, {"ready_threshold": 4.5})
    assert written.changes.kinds == {ChangeKind.WORKSPACE_SETTING}
    with qtbot.waitSignals([page.summary_loaded, page.network_loaded], timeout=30_000):
        facade.announce(written.changes)
