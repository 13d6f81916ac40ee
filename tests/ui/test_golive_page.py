"""The Go-live page: live scorecard, evidence, criteria from templates and custom, undo."""

from __future__ import annotations

from datetime import date

import pytest

from cmio_desktop.analysis.golive import rag_status
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.governance import golive
from cmio_desktop.services.plan import training
from cmio_desktop.ui.golive import GoLivePage
from cmio_desktop.ui.golive.criterion_dialog import CriterionDialog

TODAY = date(2026, 11, 2)


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = 1
    page = GoLivePage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    return page


def names(page: GoLivePage) -> list[str]:
    return [r.name for r in page.table.model.records]


def test_scorecard_shows_verdict_days_and_evidence(qtmodeltester, page) -> None:
    qtmodeltester.check(page.table.model)
    assert page.table.model.rowCount() == 6
    assert page.verdict.text().endswith("NO-GO</span>")
    assert page.days.text() == "91 days to go-live"
    assert "red" in page.counts.labels[next(iter(page.counts.labels))].text()
    first = page.table.model.record(0)
    assert first.status.value == "red" and first.spec.criticality == "critical"
    assert first.name in page.evidence.toPlainText()
    assert any(line in page.evidence.toPlainText() for line in first.evidence)


def test_add_from_template_edit_and_undo(qtbot, page, facade, monkeypatch) -> None:
    def pharmacists(dialog: CriterionDialog) -> int:
        assert dialog.metric_box.currentData() == "training_completion_pct"
        dialog._select(dialog.scope_box, "role:pharmacist")
        dialog.threshold_box.setValue(50)
        assert dialog.name_edit.text() == "Pharmacist training completion ≥ 50 %"
        assert "amber from 40 %" in dialog.preview.text()
        return 1

    monkeypatch.setattr(CriterionDialog, "exec", pharmacists)
    page.add_criterion(0)
    assert "Pharmacist training completion ≥ 50 %" in names(page)
    added = next(r for r in page.table.model.records if r.name.startswith("Pharmacist"))
    assert added.status is rag_status(added.value, 50, 10)

    def stricter(dialog: CriterionDialog) -> int:
        dialog.threshold_box.setValue(100)
        dialog.criticality_box.setCurrentIndex(dialog.criticality_box.findData("critical"))
        return 1

    monkeypatch.setattr(CriterionDialog, "exec", stricter)
    page.edit_criterion(added)
    edited = next(r for r in page.table.model.records if r.spec.id == added.spec.id)
    assert edited.name == "Pharmacist training completion ≥ 100 %"
    assert edited.status.value == "red"
    facade.undo_stack.undo()
    facade.undo_stack.undo()
    assert len(names(page)) == 6


def test_custom_ratio_criterion_and_delete(qtbot, page, facade, monkeypatch) -> None:
    def custom(dialog: CriterionDialog) -> int:
        dialog.metric_box.setCurrentIndex(dialog.metric_box.findData("super_users_per_frontline"))
        dialog.threshold_box.setValue(20)  # 1 super user per 20 frontline users
        dialog.band_box.setValue(0)
        dialog.name_edit.setText("Super users, relaxed")
        dialog.name_edit.textEdited.emit("Super users, relaxed")
        return 1

    monkeypatch.setattr(CriterionDialog, "exec", custom)
    page.add_criterion(None)
    row = next(r for r in page.table.model.records if r.name == "Super users, relaxed")
    assert row.spec.threshold == pytest.approx(0.05)
    page.delete_criteria([row])
    assert "Super users, relaxed" not in names(page)
    facade.undo_stack.undo()
    assert "Super users, relaxed" in names(page)


def test_scorecard_follows_the_data_live(qtbot, page, facade) -> None:
    for course in training.training_overview(facade.ws, 1).courses:
        people = [r.person_id for r in training.course_roster(facade.ws, course.id)]
        training.mark_complete(facade.ws, course.id, people, TODAY)
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        facade.announce(ChangeSet.of(ChangeKind.TRAINING))
    statuses = {r.spec.metric: r.status.value for r in page.table.model.records}
    assert statuses["training_completion_pct"] == "green"
    assert golive.evaluate(facade.ws, 1, TODAY).overall.value == "no_go"  # risks remain


def select(page: GoLivePage, metric: str) -> None:
    row = next(i for i, r in enumerate(page.table.model.records) if r.spec.metric == metric)
    page.table.view.selectRow(row)


def test_no_action_planned_then_draft_one_as_one_undo_step(
    qtbot, page, facade, monkeypatch
) -> None:
    from cmio_desktop.ui.plan.activity_dialog import ActivityDialog

    select(page, "resistant_key_players")
    assert "No action planned." in page.evidence.toPlainText()
    assert page.draft_button.isVisibleTo(page)
    row = next(r for r in page.table.model.records if r.spec.metric == "resistant_key_players")
    assert page.table.model.data(page.table.model.index(
        page.table.model.records.index(row), 6)) == "None planned"  # fmt: skip
    seen: dict[str, object] = {}

    def accept(dialog: ActivityDialog) -> int:
        seen.update(dialog.activity_values())
        seen["audience"] = dialog.audience_entries()
        return 1

    monkeypatch.setattr(ActivityDialog, "exec", accept)
    steps = facade.undo_stack.count()
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        page.draft_button.click()
    assert facade.undo_stack.count() == steps + 1
    assert seen["type"] == "one_to_one" and len(seen["audience"]) == len(row.target_people)
    select(page, "resistant_key_players")
    assert "Addressed by" in page.evidence.toPlainText()
    assert str(seen["title"]) in page.evidence.toPlainText()
    assert not page.draft_button.isVisibleTo(page)
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        facade.undo_stack.undo()
    select(page, "resistant_key_players")
    assert "No action planned." in page.evidence.toPlainText()


def test_an_initiative_without_criteria_is_not_assessed_never_go(qtbot, facade) -> None:
    from cmio_desktop.services import initiatives

    ident = initiatives.create_initiative(facade.ws, "No criteria yet", date(2027, 5, 1)).value
    facade.initiative_id = ident
    page = GoLivePage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    assert page.verdict.text().endswith("NOT ASSESSED</span>")
    assert "No go-live criteria yet" in page.reasons.text()
    assert "GO<" not in page.verdict.text()
