"""Dashboard polish: readable chart fonts, labelled threshold lines, value labels that never
sit on a line, plain wording for due/overdue, and department colours from the one readiness
rule (``adkar.readiness_band``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from matplotlib.colors import to_hex

from cmio_desktop.analysis.adkar import ReadinessSettings, readiness_band
from cmio_desktop.ui.dashboard.charts import (
    GREEN,
    RED,
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
    chart.draw_now()
    ax = chart.figure.axes[0]
    bars = [p for p in ax.patches if p.get_height() > 0.5]
    assert [to_hex(b.get_facecolor()) for b in bars] == [RED, GREEN]


def _check_polish(chart, expected_lines: set[str]) -> None:
    chart.draw_now()
    figure = chart.figure
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    for tick in ax.get_yticklabels() + ax.get_xticklabels():
        if tick.get_text():
            assert tick.get_fontsize() >= 9, tick.get_text()
    texts = {t.get_text().strip(): t for t in ax.texts}
    assert expected_lines <= set(texts), set(texts)
    boxes = [texts[name].get_window_extent(renderer) for name in sorted(expected_lines)]
    for a, b in zip(boxes, boxes[1:], strict=False):
        assert not a.overlaps(b), "threshold labels collide"
    lines = [ln for ln in ax.lines if ln.get_linestyle() in ("--", ":")]
    assert len(lines) == len(expected_lines)
    bar_z = min(p.get_zorder() for p in ax.patches)
    for line in lines:
        assert line.get_zorder() < bar_z  # behind the bars
        x = ax.transData.transform((line.get_xdata()[0], 0))[0]
        for text in ax.texts:
            if text.get_text().strip() in expected_lines:
                continue
            box = text.get_window_extent(renderer)
            if box.x0 <= x <= box.x1:  # a label over the line's x: only on its bar, in white
                assert to_hex(text.get_color()) == "#ffffff", text.get_text()
                assert text.get_zorder() > bar_z


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


def test_due_and_overdue_in_plain_words(dashboard) -> None:
    c = dashboard.cards
    s = dashboard.summary
    assert c["overdue"].note.text() == "activity is past the due date and not done"
    assert c["due"].note.text() == due_note(s)
    assert "in the next 14 days" in due_note(s) and "open in all" in due_note(s)
    assert overdue_note(0) == "nothing is past its due date"
    assert overdue_note(3) == "activities are past the due date and not done"
    dashboard.grab().save("/tmp/h15b-dashboard-1366.png")
