"""The page-header busy bar: shown while working, a word left behind after, red on failure."""

from __future__ import annotations

from cmio_desktop.ui.busy_bar import FAILED_STYLE, BusyBar


def test_start_progress_stop_fail(qtbot) -> None:
    bar = BusyBar()
    qtbot.addWidget(bar)
    bar.show()
    assert not (bar.bar.isVisible() or bar.text.isVisible() or bar.cancel_button.isVisible())
    bar.start("Working…")
    bar.show_progress(40)
    assert bar.bar.isVisible() and bar.cancel_button.isVisible() and bar.bar.value() == 40
    assert bar.text.text() == "Working…"  # progress without words keeps the text
    with qtbot.waitSignal(bar.cancel_requested):
        bar.cancel_button.click()
    bar.stop("Cancelled")
    assert not bar.bar.isVisible() and bar.text.isVisible() and bar.text.text() == "Cancelled"
    bar.fail("Could not load: disk full")
    assert bar.text.styleSheet() == FAILED_STYLE and not bar.cancel_button.isVisible()
    bar.start("Again")
    assert bar.text.styleSheet() == "" and bar.bar.value() == 0
