"""The plan timeline: overdue work is inside the window and drawn red, the chart keeps a
minimum height inside its own scroll area, and date labels and the legend fit at small and
large window sizes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cmio_desktop.services.plan import activities as plan
from cmio_desktop.ui.plan.page import TABS, PlanPage
from cmio_desktop.ui.plan.timeline_chart import (
    OVERDUE_COLOUR,
    TimelineData,
    minimum_height,
    tick_interval,
    window,
)

TODAY = date(2026, 11, 2)
LONG_OVERDUE = date(2026, 8, 17)  # eleven weeks before today: outside the old 4-week window


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = 1
    plan.create_activity(
        facade.ws,
        1,
        {"title": "Long-overdue super-user briefing", "type": "briefing", "element": "awareness",
         "owner": "", "start": LONG_OVERDUE, "due": LONG_OVERDUE, "status": "planned",
         "outcome": ""},
        (),
    )  # fmt: skip
    page = PlanPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.tabs.setCurrentIndex(TABS.index("timeline"))
    return page


def test_window_starts_at_the_earliest_open_activity(page) -> None:
    data = page.timeline.data
    assert data is not None
    start, end = window(data)
    assert start <= LONG_OVERDUE and start.weekday() == 0
    assert data.go_live is not None and end > data.go_live


def test_window_without_open_work_starts_at_the_first_phase_or_four_weeks_back() -> None:
    go_live = TODAY + timedelta(weeks=8)
    assert window(TimelineData(TODAY, go_live))[0] == date(2026, 10, 5)


def test_overdue_bars_and_labels_are_red(page, qtbot) -> None:
    from matplotlib.colors import to_hex

    chart = page.timeline
    chart.draw_now()
    ax = chart.figure.axes[0]
    labels = {t.get_text(): to_hex(t.get_color()) for t in ax.get_yticklabels()}
    assert labels["Long-overdue super-user briefing"] == OVERDUE_COLOUR
    bars = [p for p in ax.patches if p.get_gid()]
    assert any(to_hex(p.get_facecolor()) == OVERDUE_COLOUR for p in bars)


@pytest.mark.parametrize("size", [(1024, 700), (1920, 1080)])
def test_dates_and_legend_fit(page, qtbot, size) -> None:
    page.resize(*size)
    chart = page.timeline
    dpi = chart.figure.dpi
    qtbot.waitUntil(lambda: abs(chart.figure.get_figwidth() * dpi - chart.canvas.width()) < 2)
    qtbot.waitUntil(lambda: chart.canvas.width() > size[0] * 0.6)
    chart.request_redraw()
    chart.draw_now()
    assert chart.height() >= minimum_height(0)
    assert page.timeline_scroll.widget() is chart
    figure = chart.figure
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert boxes
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left.x1 < right.x0, "date labels overprint each other"
    canvas = figure.bbox
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x0 >= canvas.x0 - 1 and legend.x1 <= canvas.x1 + 1 and legend.y0 >= -1
    chart.grab().save(f"/tmp/h15b-timeline-{size[0]}.png")


def test_tick_interval_and_minimum_height() -> None:
    assert tick_interval(10, 1200) == 1
    assert tick_interval(40, 640) == 4
    assert minimum_height(40) > minimum_height(5) >= 420
