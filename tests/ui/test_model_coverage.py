"""Every item model in the app passes ``qtmodeltester.check``.

The first test walks ``cmio_desktop.ui``, finds every ``QAbstractItemModel`` subclass and fails
if one has no builder below: a new model cannot ship untested. Each builder fills its model
with real data from the sample workspace (and sorts, filters or edits it where the model
does), then the model tester checks it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt

import cmio_desktop.ui
from tests.conftest import SAMPLE_TODAY

INITIATIVE = 1


def discovered_models() -> set[str]:
    found: set[str] = set()
    for info in pkgutil.walk_packages(cmio_desktop.ui.__path__, "cmio_desktop.ui."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, QAbstractItemModel)
                and obj.__module__ == module.__name__
            ):
                found.add(f"{obj.__module__}.{obj.__qualname__}")
    return found


# -- builders: (workspace, tmp_path) → a filled model ---------------------------------------------


def _table_model(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.plan import activities
    from cmio_desktop.ui.plan.activity_table import activity_model

    model = activity_model()
    model.set_rows(activities.list_activities(ws, INITIATIVE, SAMPLE_TODAY))
    assert model.rowCount() > 2
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.set_search("a")
    return model


def _analysis(ws: Any) -> Any:
    from cmio_desktop.services.network import analysis

    return analysis.analyze(ws, INITIATIVE)


def _ranking(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.network.analysis import ranking
    from cmio_desktop.ui.network.ranking import RankingTableModel

    model = RankingTableModel()
    model.set_rows("hot_spots", ranking(_analysis(ws), "hot_spots", 50, None))
    return model


def _summary(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.ui.network.summary import SummaryTableModel

    model = SummaryTableModel()
    model.set_rows(_analysis(ws).groups)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    return model


def _champions(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.network.key_people import champion_coverage
    from cmio_desktop.ui.readiness.champions_panel import ChampionsModel

    model = ChampionsModel()
    model.set_coverage(champion_coverage(_analysis(ws)))
    assert model.rowCount() > 0
    return model


def _ties(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.network import ties
    from cmio_desktop.ui.network.ties_panel import TieListModel

    person = _analysis(ws).ids[0]
    found = ties.person_ties(ws, int(person))
    model = TieListModel(outgoing=True)
    model.set_rows(found.influences)
    return model


def _relationships(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.network.ties import relationship_rows
    from cmio_desktop.ui.network.relationships import RelationshipTableModel

    model = RelationshipTableModel()
    model.set_data(relationship_rows(ws))
    model.sort(2, Qt.SortOrder.DescendingOrder)
    return model


def _survey(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.readiness.rounds import survey_people
    from cmio_desktop.ui.readiness.survey_model import SurveyGridModel

    model = SurveyGridModel()
    model.set_people(survey_people(ws, "ICU"))
    assert model.paste(0, 1, "4\t3\t5\t2\t4\tcovered")
    return model


def _rounds(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.readiness.assessments import person_rounds
    from cmio_desktop.services.readiness.rounds import survey_people
    from cmio_desktop.ui.readiness.assessment_editor import PersonRoundsModel

    person = survey_people(ws, "ICU")[0]
    model = PersonRoundsModel()
    model.set_rows(person_rounds(ws, person.id, INITIATIVE))
    return model


def _history(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.history import HistoryFilter, history
    from cmio_desktop.services.stakeholders import edits
    from cmio_desktop.ui.common.history_panel import HistoryTableModel

    edits.update_stakeholder(ws, 3, department="ICU")
    edits.update_stakeholder(ws, 3, department="Periop")
    model = HistoryTableModel()
    model.load(history(ws, HistoryFilter()))
    assert model.rowCount() > 2
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.set_search("icu")
    return model


def _custom_fields(_ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.ui.stakeholders.custom_fields import CustomFieldsModel

    model = CustomFieldsModel()
    model.set_fields({"Pager": "4471", "Badge": 7})
    index = model.add_row()
    assert model.setData(index, "Locker")
    assert model.pairs() == [("Badge", 7), ("Pager", "4471"), ("Locker", "")]
    return model


def _stakeholders(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.stakeholders.register import register_rows
    from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel

    model = StakeholderTableModel()
    model.set_register(register_rows(ws, INITIATIVE))
    return model


def _proposals(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.plan.generation import generate
    from cmio_desktop.ui.plan.generator_dialog import ProposalModel

    model = ProposalModel()
    model.set_rows(list(generate(ws, INITIATIVE, SAMPLE_TODAY).plan.proposals))
    assert model.rowCount() > 0
    assert model.setData(model.index(0, 0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    return model


def _import_plan(ws: Any, tmp: Any) -> tuple[Any, Any]:
    from cmio_desktop.services.importing.pipeline import read_source, validate_source
    from cmio_desktop.services.importing.run import plan_import
    from tests.ui.test_import_wizard import staff_file

    source = read_source(staff_file(tmp), "stakeholders")
    validation = validate_source(source)
    return source, plan_import(ws, "stakeholders", validation, columns=source.columns())


def _preview(ws: Any, tmp: Any) -> Any:
    from cmio_desktop.ui.import_wizard.models import PreviewModel

    model = PreviewModel()
    model.set_source(_import_plan(ws, tmp)[0])
    return model


def _issues(ws: Any, tmp: Any) -> Any:
    from cmio_desktop.ui.import_wizard.models import IssuesModel

    model = IssuesModel()
    model.set_issues(_import_plan(ws, tmp)[1].rejected)
    return model


def _changes(ws: Any, tmp: Any) -> Any:
    from cmio_desktop.ui.import_wizard.models import ChangesModel

    plan = _import_plan(ws, tmp)[1]
    model = ChangesModel()
    model.set_rows(plan.new + plan.updated + plan.unchanged)
    assert model.rowCount() > 0
    return model


def _duplicates(ws: Any, tmp: Any) -> Any:
    from cmio_desktop.ui.import_wizard.models import DuplicatesModel

    model = DuplicatesModel()
    model.set_duplicates(_import_plan(ws, tmp)[1].duplicates)
    return model


def _backup_preview(ws: Any, tmp: Any) -> Any:
    from cmio_desktop.store.restore import preview_register
    from cmio_desktop.ui.restore_dialog import PreviewModel

    model = PreviewModel()
    model.set_register(*preview_register(ws.path))
    return model


def _saturation(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.initiatives import list_initiatives
    from cmio_desktop.services.portfolio.load import portfolio
    from cmio_desktop.ui.portfolio.heat_grid import SaturationGridModel, grid_data

    model = SaturationGridModel()
    go_lives = {i.name: i.go_live for i in list_initiatives(ws)}
    model.set_grid(grid_data(portfolio(ws), go_lives))
    assert model.rowCount() > 2 and model.columnCount() > 2
    return model


def _impact(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.portfolio.impact import list_impacts, red_zone
    from cmio_desktop.ui.portfolio.impact_table import ImpactTableModel, impact_lines

    model = ImpactTableModel()
    model.set_rows(impact_lines(list_impacts(ws, INITIATIVE), red_zone(ws, INITIATIVE)))
    assert model.rowCount() > 2
    model.sort(9, Qt.SortOrder.DescendingOrder)
    return model


def _conflicts(ws: Any, tmp: Any) -> Any:
    from cmio_desktop.ui.sync_dialog import ConflictModel
    from tests.ui.test_sync_dialog import pending_report

    model = ConflictModel()
    model.set_rows(pending_report(ws, tmp).conflicts)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.choose_all("theirs")
    return model


def _commitments(ws: Any, _tmp: Any) -> Any:
    from cmio_desktop.services.engagement import log
    from cmio_desktop.ui.stakeholders.engagement_log import CommitmentItem, CommitmentsModel

    entries = [e for p in log.contact_dates(ws) for e in log.person_log(ws, p)]
    model = CommitmentsModel(lambda: SAMPLE_TODAY)
    model.set_rows([CommitmentItem(c, e.occurred_on, e.id) for e in entries for c in e.commitments])
    assert model.rowCount() > 1
    model.sort(2, Qt.SortOrder.AscendingOrder)
    return model


BUILDERS: dict[str, Callable[[Any, Any], Any]] = {
    "cmio_desktop.ui.portfolio.heat_grid.SaturationGridModel": _saturation,
    "cmio_desktop.ui.portfolio.impact_table.ImpactTableModel": _impact,
    "cmio_desktop.ui.restore_dialog.PreviewModel": _backup_preview,
    "cmio_desktop.ui.common.table_model.TableModel": _table_model,
    "cmio_desktop.ui.common.history_panel.HistoryTableModel": _history,
    "cmio_desktop.ui.network.ranking.RankingTableModel": _ranking,
    "cmio_desktop.ui.network.summary.SummaryTableModel": _summary,
    "cmio_desktop.ui.network.ties_panel.TieListModel": _ties,
    "cmio_desktop.ui.network.relationships.RelationshipTableModel": _relationships,
    "cmio_desktop.ui.readiness.champions_panel.ChampionsModel": _champions,
    "cmio_desktop.ui.readiness.survey_model.SurveyGridModel": _survey,
    "cmio_desktop.ui.readiness.assessment_editor.PersonRoundsModel": _rounds,
    "cmio_desktop.ui.stakeholders.custom_fields.CustomFieldsModel": _custom_fields,
    "cmio_desktop.ui.stakeholders.engagement_log.CommitmentsModel": _commitments,
    "cmio_desktop.ui.stakeholders.table_model.StakeholderTableModel": _stakeholders,
    "cmio_desktop.ui.plan.generator_dialog.ProposalModel": _proposals,
    "cmio_desktop.ui.import_wizard.models.PreviewModel": _preview,
    "cmio_desktop.ui.import_wizard.models.IssuesModel": _issues,
    "cmio_desktop.ui.import_wizard.models.ChangesModel": _changes,
    "cmio_desktop.ui.import_wizard.models.DuplicatesModel": _duplicates,
    "cmio_desktop.ui.sync_dialog.ConflictModel": _conflicts,
}


def test_every_model_class_has_a_model_tester_check(qapp) -> None:
    found = discovered_models()
    missing = sorted(found - set(BUILDERS))
    assert not missing, f"models without a qtmodeltester check here: {missing}"
    assert not set(BUILDERS) - found, "a builder names a model that no longer exists"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_model_passes_the_model_tester(qtmodeltester, sample_ws, tmp_path, name) -> None:
    model = BUILDERS[name](sample_ws, tmp_path)
    assert f"{type(model).__module__}.{type(model).__qualname__}" == name
    qtmodeltester.check(model)


def test_an_empty_model_passes_too(qtmodeltester, qapp) -> None:
    from cmio_desktop.ui.common.table_model import Column, TableModel

    model = TableModel([Column("Name", lambda r: r.name)])
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)
