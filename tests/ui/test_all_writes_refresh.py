"""Every service write says what it changed, and every page that depends on that refreshes.

The writes are found by reading the services (a function taking ``ws`` that opens a write
session or calls a crud write), so a new write without a scenario here fails the test; each
scenario performs its write on the sample workspace, the ChangeSet it returned is announced
through the facade, and every page or panel declaring ``DEPENDS_ON`` (found the same way)
must refresh exactly when the change touches what it depends on. Where cheap, the refreshed
page is checked to show what is now stored.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import cmio_desktop.services as services_package
import cmio_desktop.ui as ui_package
from cmio_desktop import models as m
from cmio_desktop.services import crud, initiatives
from cmio_desktop.services.analysis_settings import put_values, save_readiness_settings
from cmio_desktop.services.changes import ChangeKind, ChangeSet, changes_of
from cmio_desktop.services.engagement import log as engagement_log
from cmio_desktop.services.engagement.entry_edits import EntryEdit, edit_entry
from cmio_desktop.services.governance import golive, super_users
from cmio_desktop.services.governance import records as governance
from cmio_desktop.services.importing.run import commit_import, redo_import, undo_import
from cmio_desktop.services.network import ties
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan import communications, generation, training
from cmio_desktop.services.plan.settings import save_blackout
from cmio_desktop.services.portfolio import impact, load
from cmio_desktop.services.readiness import assessments, rounds
from cmio_desktop.services.readiness.forecast_parameters import save_forecast_parameters
from cmio_desktop.services.stakeholders import edits
from tests.ui.test_change_events import training_file
from tests.unit.test_importing_helpers import plan_file, table_rows

TODAY = date(2026, 11, 2)
IID = 1  # the sample's initiative: never deleted here
WRITE = re.compile(
    r"\bws\.session\(\)|\bcrud\.(create|update|delete_rows|restore)\(\s*ws\b|\bput_values\(\s*ws\b"
)
#: Functions that open a write session only to read (they change nothing).
READS_IN_A_WRITE_SESSION = {
    "governance.golive.load_activities",
    "plan.settings.generator_settings",
}


def discovered_writes() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(services_package.__path__, "cmio_desktop.services."):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue  # imported from elsewhere: counted where it is defined
            params = list(inspect.signature(fn).parameters)
            if params[:1] == ["ws"] and WRITE.search(inspect.getsource(fn)):
                found.add(f"{module.__name__.removeprefix('cmio_desktop.services.')}.{name}")
    return found - READS_IN_A_WRITE_SESSION


def dependent_views() -> set[type]:
    views = set()
    for info in pkgutil.walk_packages(ui_package.__path__, "cmio_desktop.ui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            is_here = inspect.isclass(cls) and cls.__module__ == module.__name__
            if is_here and isinstance(getattr(cls, "DEPENDS_ON", None), frozenset):
                views.add(cls)
    return views


# -- the scenarios: each performs one write and returns what the service returned --------------


class Sample:
    """Ids from the sample workspace, and rows the scenarios make for each other."""

    def __init__(self, ws: Any, tmp_path: Path) -> None:
        self.ws, self.tmp_path = ws, tmp_path
        q = lambda sql: table_rows(ws, sql)[0][0]  # noqa: E731
        self.person = q("SELECT min(id) FROM stakeholder")
        self.tie = q("SELECT min(id) FROM relationship")
        self.assessment = q("SELECT min(id) FROM assessment")
        self.course = q("SELECT min(id) FROM training_course")
        self.pair = table_rows(
            ws,
            "SELECT a.id, b.id FROM stakeholder a, stakeholder b WHERE a.id <> b.id AND NOT "
            "EXISTS (SELECT 1 FROM relationship r WHERE r.source_id = a.id AND r.target_id = "
            "b.id) LIMIT 1",
        )[0]
        overview = training.training_overview(ws, IID)
        course_ids = {c.name: c.id for c in overview.courses}
        first = overview.untrained[0]  # someone missing a required course, and that course
        self.trainee, self.missing_course = first.person_id, course_ids[first.missing[0]]
        self.kept: dict[str, Any] = {}

    def new_milestone(self) -> int:
        return initiatives.add_milestone(self.ws, IID, "Scenario milestone", TODAY).value

    def new_activity(self) -> int:
        values = {"title": "Scenario huddle", "type": "super_user_huddle", "element": "ability",
                  "owner": "Pharmacy", "start": TODAY, "due": TODAY}  # fmt: skip
        return plan.create_activity(self.ws, IID, values, []).value

    def new_person(self) -> Any:
        return edits.create_stakeholder(self.ws, name="Scenario Person")


def _import(s: Sample) -> Any:
    path = training_file(s.ws, s.tmp_path)
    outcome = commit_import(s.ws, plan_file(s.ws, path, "training"))
    s.kept["import"] = outcome.token
    return outcome


def _undo_import(s: Sample) -> Any:
    _import(s)
    return undo_import(s.ws, s.kept["import"])


def _redo_import(s: Sample) -> Any:
    _undo_import(s)
    return redo_import(s.ws, s.kept["import"])


def _round(s: Sample) -> Any:
    s.kept["round"] = rounds.record_round(s.ws, IID, TODAY, {s.person: [4, 4, 4, 4, 4]})
    return s.kept["round"]


def _undo_round(s: Sample) -> Any:
    undone = rounds.undo_round(s.ws, _round(s))
    s.kept["round_snapshot"] = undone.value
    return undone


def _redo_round(s: Sample) -> Any:
    _undo_round(s)
    return rounds.redo_round(s.ws, s.kept["round"], s.kept["round_snapshot"])


def _set_status(s: Sample) -> Any:
    written = plan.set_status(s.ws, [s.new_activity()], "done")
    s.kept["statuses"] = written.value
    return written


def _mark(s: Sample) -> Any:
    written = training.mark_complete(s.ws, s.missing_course, [s.trainee], TODAY, "proficient")
    s.kept["prior"] = written.value
    return written


def _bulk(s: Sample) -> Any:
    written = edits.bulk_update(s.ws, [s.person], interest=5)
    s.kept["bulk"] = written.value
    return written


def _accept(s: Sample) -> Any:
    proposals = generation.generate(s.ws, IID, TODAY).plan.proposals[:2]
    return generation.accept(s.ws, IID, proposals)


def _log_entry(s: Sample) -> Any:
    written = engagement_log.add_entry(
        s.ws, s.person, {"occurred_on": TODAY, "type": "call"}, [("Call back", TODAY)]
    )
    s.kept["entry"] = written.value
    return written


def _commitment(s: Sample) -> int:
    _log_entry(s)
    return table_rows(
        s.ws, f"SELECT id FROM engagement_commitment WHERE entry_id = {s.kept['entry']}"
    )[0][0]


def _assign(s: Sample) -> Any:
    written = super_users.assign(s.ws, s.person, "Scenario unit", "night")
    s.kept["assignment"] = written.value
    return written


Scenario = Callable[[Sample], Any]
SCENARIOS: dict[str, Scenario] = {
    "engagement.log.add_entry": _log_entry,
    "engagement.log.update_entry": lambda s: engagement_log.update_entry(
        s.ws, s.kept.get("entry") or _log_entry(s).value, {"sentiment": 2}
    ),
    "engagement.entry_edits.edit_entry": lambda s: edit_entry(
        s.ws, _log_entry(s).value, EntryEdit({"summary": "Edited"}, (("Call back", None, True),))
    ),
    "engagement.log.set_commitment_done": lambda s: engagement_log.set_commitment_done(
        s.ws, _commitment(s), True
    ),
    "engagement.log.delete_entries": lambda s: engagement_log.delete_entries(
        s.ws, [_log_entry(s).value]
    ),
    "engagement.log.restore_entries": lambda s: engagement_log.restore_entries(
        s.ws, engagement_log.delete_entries(s.ws, [_log_entry(s).value])
    ),
    "portfolio.impact.set_impact": lambda s: impact.set_impact(
        s.ws, IID, "ICU", None, {"workflow": 4}
    ),
    "portfolio.impact.delete_impacts": lambda s: impact.delete_impacts(
        s.ws, [impact.set_impact(s.ws, IID, "ICU", None, {"workflow": 4}).value]
    ),
    "portfolio.impact.restore_impacts": lambda s: impact.restore_impacts(
        s.ws,
        impact.delete_impacts(
            s.ws, [impact.set_impact(s.ws, IID, "ICU", None, {"workflow": 4}).value]
        ),
    ),
    "portfolio.load.save_thresholds": lambda s: load.save_thresholds(s.ws, {"ICU": 9}),
    "governance.super_users.assign": _assign,
    "governance.super_users.assign_many": lambda s: super_users.assign_many(
        s.ws, [s.person], "Scenario unit", "day"
    ),
    "governance.super_users.save_target": lambda s: super_users.save_target(s.ws, IID, 8),
    "governance.super_users.unassign": lambda s: super_users.unassign(s.ws, [_assign(s).value]),
    "governance.super_users.restore": lambda s: super_users.restore(
        s.ws, super_users.unassign(s.ws, [_assign(s).value]).value
    ),
    "analysis_settings.put_values": lambda s: put_values(s.ws, "scenario.", {"x": "1"}),
    "analysis_settings.save_readiness_settings": lambda s: save_readiness_settings(
        s.ws, {"ready_threshold": 3.5}
    ),
    "crud.create": lambda s: crud.create(
        s.ws, m.Milestone, initiative_id=IID, name="Scenario", due=TODAY
    ),
    "crud.update": lambda s: crud.update(s.ws, m.Stakeholder, s.person, notes="Scenario"),
    "crud.delete_rows": lambda s: crud.delete_rows(s.ws, m.Milestone, [s.new_milestone()]),
    "crud.restore": lambda s: crud.restore(
        s.ws, crud.delete_rows(s.ws, m.Milestone, [s.new_milestone()])
    ),
    "governance.golive.create_criterion": lambda s: golive.create_criterion(
        s.ws, IID, {"metric": "training_completion_pct", "threshold": 50}
    ),
    "governance.golive.update_criterion": lambda s: golive.update_criterion(
        s.ws, golive.criteria_specs(s.ws, IID)[0].id, {"threshold": 55}
    ),
    "governance.golive.delete_criteria": lambda s: golive.delete_criteria(
        s.ws, [golive.criteria_specs(s.ws, IID)[0].id]
    ),
    "governance.records.create_record": lambda s: governance.create_record(
        s.ws,
        "decision",
        IID,
        {"committee": "Scenario board", "decided_on": TODAY, "decision": "Go ahead"},
    ),  # fmt: skip
    "governance.records.update_record": lambda s: governance.update_record(
        s.ws, "decision", governance.list_decisions(s.ws, IID)[0].id, {"rationale": "Scenario"}
    ),
    "governance.records.delete_records": lambda s: governance.delete_records(
        s.ws, "request", [governance.list_requests(s.ws, IID)[0].id]
    ),
    "governance.records.create_risk": lambda s: governance.create_risk(
        s.ws, IID, {"description": "Scenario risk", "likelihood": 4, "impact": 4}, [s.person]
    ),
    "governance.records.update_risk": lambda s: governance.update_risk(
        s.ws, governance.list_risks(s.ws, IID)[0].id, {"likelihood": 1}
    ),
    "governance.records.delete_risks": lambda s: governance.delete_risks(
        s.ws, [governance.list_risks(s.ws, IID)[0].id]
    ),
    "importing.run.commit_import": _import,
    "importing.run.undo_import": _undo_import,
    "importing.run.redo_import": _redo_import,
    "initiatives.create_initiative": lambda s: initiatives.create_initiative(s.ws, "Scenario"),
    "initiatives.update_initiative": lambda s: initiatives.update_initiative(
        s.ws, IID, description="Scenario"
    ),
    "initiatives.delete_initiative": lambda s: initiatives.delete_initiative(
        s.ws, initiatives.create_initiative(s.ws, "Short-lived").value
    ),
    "initiatives.restore": lambda s: initiatives.restore(
        s.ws, initiatives.delete_milestones(s.ws, [s.new_milestone()])
    ),
    "initiatives.add_phase": lambda s: initiatives.add_phase(s.ws, IID, "Scenario", TODAY, None),
    "initiatives.add_milestone": lambda s: initiatives.add_milestone(s.ws, IID, "M", TODAY),
    "initiatives.update_phase": lambda s: initiatives.update_phase(
        s.ws, initiatives.add_phase(s.ws, IID, "P", None, None).value, name="Renamed"
    ),
    "initiatives.update_milestone": lambda s: initiatives.update_milestone(
        s.ws, s.new_milestone(), name="Renamed"
    ),
    "initiatives.delete_phases": lambda s: initiatives.delete_phases(
        s.ws, [initiatives.add_phase(s.ws, IID, "P", None, None).value]
    ),
    "initiatives.delete_milestones": lambda s: initiatives.delete_milestones(
        s.ws, [s.new_milestone()]
    ),
    "network.ties.add_tie": lambda s: ties.add_tie(s.ws, *s.pair, strength=4),
    "network.ties.update_tie": lambda s: ties.update_tie(s.ws, s.tie, strength=1),
    "network.ties.delete_tie": lambda s: ties.delete_tie(s.ws, s.tie),
    "network.ties.delete_ties": lambda s: ties.delete_ties(s.ws, [s.tie]),
    "network.ties.restore_tie": lambda s: ties.restore_tie(s.ws, ties.delete_ties(s.ws, [s.tie])),
    "plan.activities.create_activity": lambda s: plan.create_activity(
        s.ws,
        IID,
        {"title": "New", "type": "town_hall", "element": "awareness", "start": TODAY, "due": TODAY},
        [],
    ),  # fmt: skip
    "plan.activities.update_activity": lambda s: plan.update_activity(
        s.ws, s.new_activity(), {"title": "Renamed"}
    ),
    "plan.activities.set_status": _set_status,
    "plan.activities.restore_statuses": lambda s: plan.restore_statuses(s.ws, _set_status(s).value),
    "plan.activities.delete_activities": lambda s: plan.delete_activities(s.ws, [s.new_activity()]),
    "plan.activities.restore": lambda s: plan.restore(
        s.ws, plan.delete_activities(s.ws, [s.new_activity()])
    ),
    "plan.communications.create_communication": lambda s: communications.create_communication(
        s.ws, IID, {"audience": "Wards", "message": "Scenario", "start_date": TODAY}
    ),
    "plan.communications.update_communication": lambda s: communications.update_communication(
        s.ws, communications.list_communications(s.ws, IID)[0].id, {"message": "Scenario"}
    ),
    "plan.communications.delete_communications": lambda s: communications.delete_communications(
        s.ws, [communications.list_communications(s.ws, IID)[0].id]
    ),
    "plan.generation.accept": _accept,
    "plan.generation.undo_accept": lambda s: generation.undo_accept(s.ws, _accept(s).value),
    "plan.settings.save_blackout": lambda s: save_blackout(s.ws, "12-24..01-01"),
    "plan.training.create_course": lambda s: training.create_course(
        s.ws, IID, {"name": "Scenario course"}
    ),
    "plan.training.update_course": lambda s: training.update_course(
        s.ws, s.course, {"name": "Renamed course"}
    ),
    "plan.training.delete_courses": lambda s: training.delete_courses(s.ws, [s.course]),
    "plan.training.mark_complete": _mark,
    "plan.training.restore_completions": lambda s: training.restore_completions(
        s.ws, s.missing_course, _mark(s).value
    ),
    "readiness.assessments.add_assessment": lambda s: assessments.add_assessment(
        s.ws, s.person, IID, TODAY, [3, 3, 3, 3, 3]
    ),
    "readiness.assessments.update_assessment": lambda s: assessments.update_assessment(
        s.ws, s.assessment, note="Scenario"
    ),
    "readiness.assessments.delete_assessments": lambda s: assessments.delete_assessments(
        s.ws, [s.assessment]
    ),
    "readiness.assessments.restore_assessments": lambda s: assessments.restore_assessments(
        s.ws, assessments.delete_assessments(s.ws, [s.assessment])
    ),
    "readiness.forecast_parameters.save_forecast_parameters": lambda s: save_forecast_parameters(
        s.ws, {"self_weight": 2}
    ),
    "readiness.rounds.record_round": _round,
    "readiness.rounds.undo_round": _undo_round,
    "readiness.rounds.redo_round": _redo_round,
    "stakeholders.edits.bulk_update": _bulk,
    "stakeholders.edits.restore_values": lambda s: edits.restore_values(s.ws, _bulk(s).value),
    "stakeholders.edits.create_stakeholder": lambda s: s.new_person(),
    "stakeholders.edits.duplicate_stakeholder": lambda s: edits.duplicate_stakeholder(
        s.ws, s.person
    ),
    "stakeholders.edits.update_stakeholder": lambda s: edits.update_stakeholder(
        s.ws, s.person, title="Scenario title"
    ),
    "stakeholders.edits.set_custom_field": lambda s: edits.set_custom_field(
        s.ws, s.person, "Badge", "B-1"
    ),
    "stakeholders.edits.delete_stakeholders": lambda s: edits.delete_stakeholders(s.ws, [s.person]),
    "stakeholders.edits.remove_added": lambda s: edits.remove_added(s.ws, s.new_person()),
    "stakeholders.edits.restore": lambda s: edits.restore(
        s.ws, edits.delete_stakeholders(s.ws, [s.person])
    ),
}


def test_every_service_write_has_a_scenario() -> None:
    """A new write (or a renamed one) must be added here, so this test covers it."""
    found = discovered_writes()
    assert found - SCENARIOS.keys() == set(), "writes without a scenario"
    assert SCENARIOS.keys() - found == set(), "scenarios for writes that no longer exist"


# -- the views ------------------------------------------------------------------------------------


def make_views(facade: Any, settings: Any) -> dict[type, Any]:
    from cmio_desktop.ui.common.history_panel import HistoryPanel
    from cmio_desktop.ui.dashboard.page import DashboardPage
    from cmio_desktop.ui.golive import GoLivePage
    from cmio_desktop.ui.governance.page import GovernancePage
    from cmio_desktop.ui.history.activity_window import ActivityWindow
    from cmio_desktop.ui.initiative_switcher import InitiativeSwitcher
    from cmio_desktop.ui.network.page import NetworkPage
    from cmio_desktop.ui.network.ties_panel import TiesPanel
    from cmio_desktop.ui.plan import PlanPage
    from cmio_desktop.ui.plan.initiative_dialog import InitiativesDialog
    from cmio_desktop.ui.portfolio.page import PortfolioPage
    from cmio_desktop.ui.readiness.assessment_editor import AssessmentEditor
    from cmio_desktop.ui.readiness.page import ReadinessPage
    from cmio_desktop.ui.stakeholders.engagement_log import EngagementLogPanel
    from cmio_desktop.ui.stakeholders.page import StakeholdersPage
    from cmio_desktop.ui.stakeholders.person_tabs import PersonActivitiesPanel

    clock = lambda: TODAY  # noqa: E731
    factories: dict[type, Callable[[], Any]] = {
        DashboardPage: lambda: DashboardPage(facade, clock=clock),
        StakeholdersPage: lambda: StakeholdersPage(facade, settings),
        NetworkPage: lambda: NetworkPage(facade),
        ReadinessPage: lambda: ReadinessPage(facade),
        PlanPage: lambda: PlanPage(facade, clock=clock),
        GovernancePage: lambda: GovernancePage(facade, clock=clock),
        GoLivePage: lambda: GoLivePage(facade, clock=clock),
        PersonActivitiesPanel: lambda: PersonActivitiesPanel(facade),
        EngagementLogPanel: lambda: EngagementLogPanel(facade, clock=clock),
        TiesPanel: lambda: TiesPanel(facade),
        AssessmentEditor: lambda: AssessmentEditor(facade),
        InitiativeSwitcher: lambda: InitiativeSwitcher(facade),
        InitiativesDialog: lambda: InitiativesDialog(facade),
        HistoryPanel: lambda: HistoryPanel(facade),
        ActivityWindow: lambda: ActivityWindow(facade),
        PortfolioPage: lambda: PortfolioPage(facade),
    }
    assert set(factories) == dependent_views(), "a view declaring DEPENDS_ON is not tested here"
    return {cls: make() for cls, make in factories.items()}


def ids_of(records: Any) -> set[int]:
    return {r.id for r in records}


def refresh_stale(page: Any) -> None:
    """Load what a view has marked stale, as showing it would."""
    if isinstance(page.stale, bool):
        if page.stale:
            page.refresh()
        return
    for tab in sorted(page.stale):
        page.refresh(tab)


def check_plan(page: Any, ws: Any) -> None:
    refresh_stale(page)
    assert ids_of(page.activities.model.records) == ids_of(plan.list_activities(ws, IID, TODAY))
    assert ids_of(page.comms.model.records) == ids_of(communications.list_communications(ws, IID))
    shown = {(r.id, r.name, r.completed) for r in page.training.courses.records}
    stored = training.training_overview(ws, IID).courses
    assert shown == {(c.id, c.name, c.completed) for c in stored}


def check_governance(page: Any, ws: Any) -> None:
    refresh_stale(page)
    assert ids_of(page.risks.model.records) == ids_of(governance.list_risks(ws, IID))
    assert ids_of(page.decisions.model.records) == ids_of(governance.list_decisions(ws, IID))
    assert ids_of(page.requests.model.records) == ids_of(governance.list_requests(ws, IID))


def check_golive(page: Any, ws: Any) -> None:
    refresh_stale(page)
    shown = {(r.spec.id, r.status, r.value) for r in page.table.model.records}
    stored = golive.evaluate(ws, IID, TODAY).results
    assert shown == {(r.spec.id, r.status, r.value) for r in stored}


def check_portfolio(page: Any, ws: Any) -> None:
    refresh_stale(page)
    found = load.portfolio(ws)
    shown = {k: round(c.hours, 6) for k, c in page.saturation.model.grid.cells.items()}
    assert shown == {k: round(c.hours, 6) for k, c in found.loads.items()}
    assert page.saturation.model.grid.thresholds == {
        d: found.threshold(d) for d in found.departments
    }
    stored = {(r.id, r.score) for r in impact.list_impacts(ws, IID)}
    assert {(ln.row.id, ln.row.score) for ln in page.impact.lines()} == stored


def check_switcher(page: Any, ws: Any) -> None:
    assert page.combo.count() == len(initiatives.list_initiatives(ws))


CHECKS: dict[str, Callable[[Any, Any], None]] = {
    "PlanPage": check_plan,
    "GovernancePage": check_governance,
    "GoLivePage": check_golive,
    "InitiativeSwitcher": check_switcher,
    "PortfolioPage": check_portfolio,
}


@pytest.mark.parametrize("write", sorted(SCENARIOS))
def test_a_write_refreshes_every_view_that_depends_on_it(
    qtbot, facade, settings, monkeypatch, tmp_path: Path, write: str
) -> None:
    facade.initiative_id = IID
    refreshed: list[tuple[type, ChangeSet]] = []
    views = dependent_views()
    for cls in views:

        def spy(self: Any, change: ChangeSet, _original: Any = cls._on_data_changed) -> None:
            refreshed.append((type(self), change))
            _original(self, change)

        monkeypatch.setattr(cls, "_on_data_changed", spy)
    made = make_views(facade, settings)
    for view in made.values():
        qtbot.addWidget(view)
    checked = {cls: made[cls] for cls in made if cls.__name__ in CHECKS}
    for view in checked.values():  # each shows the workspace as it is before the write
        view.reload() if hasattr(view, "combo") else refresh_stale(view)

    result = SCENARIOS[write](Sample(facade.ws, tmp_path))
    change = changes_of(result)  # raises if the write returned no ChangeSet
    assert change, f"{write} says it changed nothing"
    assert not change.is_everything, f"{write} should name what it changed"
    refreshed.clear()
    facade.announce(change)

    expected = {cls for cls in views if change.touches(cls.DEPENDS_ON)}
    assert {cls for cls, _ in refreshed} == expected
    assert all(c == change for _, c in refreshed)
    for cls, view in checked.items():  # the refreshed view shows what is stored now
        CHECKS[cls.__name__](view, facade.ws)


def test_a_write_that_touches_nothing_a_view_shows_leaves_it_alone(qtbot, facade, settings):
    from cmio_desktop.ui.initiative_switcher import InitiativeSwitcher

    switcher = InitiativeSwitcher(facade)
    qtbot.addWidget(switcher)
    calls: list[ChangeSet] = []
    switcher._on_data_changed = calls.append  # type: ignore[method-assign]
    facade.announce(ChangeSet.of(ChangeKind.RISK))
    assert calls == []
    facade.announce(ChangeSet.everything())
    assert calls == [ChangeSet.everything()]
