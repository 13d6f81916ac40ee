"""Every page rendered offscreen at 1024×700, 1366×768 and 1920×1080 (the sample workspace):
no chart text cut by its canvas, and the key table columns wide enough and in view.

Set CMIO_WRITE_SCREENSHOTS=1 to (re)write docs/screenshots/<page>-<width>.png for the README.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QThreadPool
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QTabWidget

from cmio_desktop.resource_files import resource_path
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.navigation import SECTIONS
from cmio_desktop.ui.settings import AppSettings
from tests.ui.layout_checks import clipped_chart_texts, key_column_problems

SIZES = ((1024, 700), (1366, 768), (1920, 1080))
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def settle(qapp: QApplication, rounds: int = 12) -> None:
    """Let background loads finish and their results land (no fixed page signals needed)."""
    pool = QThreadPool.globalInstance()
    for _ in range(rounds):
        qapp.processEvents()
        pool.waitForDone(10_000)
        qapp.processEvents()
        time.sleep(0.02)


def save_screenshot(image: QImage, path: Path) -> None:
    """A PNG with an adaptive 256-colour palette (a quarter of the size; gradients such as the
    heat map keep their hues, unlike Qt's fixed palette)."""
    from PIL import Image

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    full = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
    full.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_page_fits(qtbot, qapp, tmp_path, sample_ws, width: int, height: int) -> None:
    previous_style = qapp.styleSheet()
    qapp.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    window.resize(width, height)
    window.show()
    out = SHOTS if os.environ.get("CMIO_WRITE_SCREENSHOTS") else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        for section in SECTIONS:
            window.show_page(section.key)
            settle(qapp)
            page = window.page_by_key[section.key]
            found = clipped_chart_texts(page) + key_column_problems(page)
            problems += [f"{section.key} at {width}×{height}: {p}" for p in found]
            tabs = getattr(page, "tabs", None)
            if isinstance(tabs, QTabWidget):  # the other tabs too (not in the screenshots)
                for index in range(1, tabs.count()):
                    tabs.setCurrentIndex(index)
                    settle(qapp)
                    found = clipped_chart_texts(page) + key_column_problems(page)
                    where = f"{section.key} ({tabs.tabText(index)}) at {width}×{height}"
                    problems += [f"{where}: {p}" for p in found]
                tabs.setCurrentIndex(0)
                settle(qapp)
            save_screenshot(window.grab().toImage(), out / f"{section.key}-{width}.png")
        assert window.sidebar.collapsed == (width < 1200)
    finally:
        settle(qapp)
        window.close()
        facade.workspace = None
        qapp.setStyleSheet(previous_style)
    assert not problems, "\n".join(problems)
