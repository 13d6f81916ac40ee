"""Dashboard polish: readable chart fonts, labelled threshold lines, value labels that never
sit on a line, plain wording for due/overdue, and department colours from the one readiness
rule (``adkar.readiness_band``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from cmio_desktop.analysis.adkar import ReadinessSettings, readiness_band
from cmio_desktop.ui.common.mini_charts import MIN_FONT_PT, WHITE, Item
from cmio_desktop.ui.dashboard.charts import (
    GREEN,
    RED,
    DueByWeekChart,
    ReadinessByDepartmentChart,
    TrainingByRoleChart,
)
from cmio_desktop.ui.dashboard.page import DashboardPage, due_note, overdue_note

TODAY = date(2026, 11, 2)


@pytest.fixture
def dashboard(qtbot, facade):
    facade.initiative_id = 1
    page = DashboardPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitSignals([page.summary_loaded, page.network_loaded], timeout=30_000):
        page.show()
    return page


def test_readiness_band_judges_the_value_as_shown() -> None:
    assert readiness_band(3.96) == "ready"  # labelled "4.0": drawn ready
    assert readiness_band(4.0) == "ready"
    assert readiness_band(3.94) == "at_risk"
    assert readiness_band(2.96) == "at_risk"  # labelled "3.0"
    assert readiness_band(2.94) == "not_ready"
    assert readiness_band(None) == "not_ready"
    assert readiness_band(3.6, ReadinessSettings(ready_threshold=3.5)) == "ready"


def test_department_colours_follow_the_readiness_rule(qtbot, dashboard) -> None:
    s = dashboard.summary
    assert s is not None
    chart = ReadinessByDepartmentChart()
    qtbot.addWidget(chart)
    chart.resize(520, 360)
    rows = [("Periop", 2.94, 12), ("Executive", 3.96, 8)]
    chart.set_summary(replace(s, readiness_by_department=rows))
    chart.show()
    bars = [item for item in chart.items() if item.kind == "bar"]
    assert [(b.text, b.colour) for b in bars] == [("Periop", RED), ("Executive", GREEN)]


def _texts(items: list[Item]) -> list[Item]:
    return [item for item in items if item.text and item.kind != "bar"]


def _check_polish(chart, expected_lines: set[str]) -> None:
    chart.draw_now()
    items = chart.items()
    canvas = QRectF(chart.canvas.rect()).adjusted(-1, -1, 1, 1)
    for item in _texts(items):
        assert canvas.contains(item.rect), f"{item.text!r} is cut at the canvas edge"
        if item.kind in ("tick", "label", "value", "title"):
            assert item.font_pt >= 9, item.text  # readable at 100 % scaling
    notes = {item.text: item for item in items if item.kind == "note"}
    assert expected_lines <= set(notes), set(notes)
    boxes = [notes[name].rect for name in sorted(expected_lines)]
    for a, b in zip(boxes, boxes[1:], strict=False):
        assert not a.intersects(b), "threshold labels collide"
    lines = [i for i, item in enumerate(items) if item.kind == "threshold"]
    assert len(lines) == len(expected_lines)
    first_bar = min(i for i, item in enumerate(items) if item.kind == "bar")
    backs = [item.rect for item in items if item.kind == "back"]
    for index in lines:
        assert index < first_bar  # behind the bars
        x = items[index].line.x1()
        for item in items:
            if item.kind != "value" or not item.rect.left() <= x <= item.rect.right():
                continue
            # A label over the line's x: on its bar in white, or on its own white backing.
            assert item.colour == WHITE or item.rect in backs, item.text


def test_readiness_chart_thresholds_labels_and_fonts(dashboard) -> None:
    _check_polish(dashboard.readiness_chart, {"barrier ≤ 3", "ready ≥ 4.0"})
    dashboard.readiness_chart.grab().save("/tmp/h15b-dash-readiness.png")


def test_training_chart_label_never_sits_on_the_target_line(qtbot, dashboard) -> None:
    s = dashboard.summary
    chart = TrainingByRoleChart()
    qtbot.addWidget(chart)
    chart.resize(520, 300)
    rows = [("Physician", 86.0, 20), ("Nurse", 91.0, 30), ("Pharmacist", 8.0, 5)]
    chart.set_summary(replace(s, training_by_role=rows))
    chart.show()
    _check_polish(chart, {"target 90 %"})
    chart.grab().save("/tmp/h15b-dash-training.png")


@pytest.mark.parametrize("size", [(300, 240), (1000, 700)])
def test_every_chart_fits_small_and_large(qtbot, dashboard, size) -> None:
    s = dashboard.summary
    for kind in (ReadinessByDepartmentChart, DueByWeekChart, TrainingByRoleChart):
        chart = kind()
        qtbot.addWidget(chart)
        chart.resize(*size)
        chart.set_summary(s)
        chart.show()
        canvas = QRectF(chart.canvas.rect()).adjusted(-1, -1, 1, 1)
        for item in _texts(chart.items()):
            assert canvas.contains(item.rect), (kind.__name__, item.text)
            assert item.font_pt >= MIN_FONT_PT
        assert chart.canvas.accessibleDescription()  # the data in words for screen readers


def test_a_chart_saves_as_png_svg_and_pdf(qtbot, dashboard, tmp_path) -> None:
    chart = dashboard.training_chart
    for suffix in (".png", ".svg", ".pdf"):
        saved = chart.save(tmp_path / f"training{suffix}")
        assert saved.stat().st_size > 500
    image = QImage(str(tmp_path / "training.png"))
    assert image.width() == 2 * chart.canvas.width()  # twice the pixels on screen
    assert (tmp_path / "training.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (tmp_path / "training.pdf").read_bytes().startswith(b"%PDF")


def test_due_and_overdue_in_plain_words(dashboard) -> None:
    c = dashboard.cards
    s = dashboard.summary
    assert c["overdue"].note.text() == "activity is past the due date and not done"
    assert c["due"].note.text() == due_note(s)
    assert "in the next 14 days" in due_note(s) and "open in all" in due_note(s)
    assert overdue_note(0) == "nothing is past its due date"
    assert overdue_note(3) == "activities are past the due date and not done"
    dashboard.grab().save("/tmp/h15b-dashboard-1366.png")
