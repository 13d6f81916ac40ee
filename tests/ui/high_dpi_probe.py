"""Run in a child process with ``QT_SCALE_FACTOR`` set (Qt reads it once, at start-up): render
every page of a workspace at a logical size and print the layout problems found, as JSON.

``python -m tests.ui.high_dpi_probe WORKSPACE OUT_DIR WIDTHxHEIGHT``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QTabWidget

from cmio_desktop.resource_files import resource_path
from cmio_desktop.store import open_workspace
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.navigation import SECTIONS
from cmio_desktop.ui.settings import AppSettings
from tests.ui.layout_checks import clipped_chart_texts, key_column_problems
from tests.ui.test_screenshots import save_screenshot, settle


def main(workspace: str, out_dir: str, size: str) -> None:
    width, height = (int(n) for n in size.split("x"))
    out = Path(out_dir)
    app = QApplication([])
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(out / "settings.ini"))
    facade.set_workspace(open_workspace(workspace))
    facade.initiative_id = 1
    window.resize(width, height)
    window.show()
    problems: list[str] = []
    shots: dict[str, list[int]] = {}
    for section in SECTIONS:
        window.show_page(section.key)
        settle(app)
        page = window.page_by_key[section.key]
        problems += [f"{section.key}: {p}" for p in clipped_chart_texts(page)]
        problems += [f"{section.key}: {p}" for p in key_column_problems(page)]
        tabs = getattr(page, "tabs", None)
        if isinstance(tabs, QTabWidget):
            for index in range(1, tabs.count()):
                tabs.setCurrentIndex(index)
                settle(app)
                where = f"{section.key} ({tabs.tabText(index)})"
                problems += [f"{where}: {p}" for p in clipped_chart_texts(page)]
                problems += [f"{where}: {p}" for p in key_column_problems(page)]
            tabs.setCurrentIndex(0)
            settle(app)
        image = window.grab().toImage()
        shots[section.key] = [image.width(), image.height()]
        save_screenshot(image, out / f"{section.key}.png")
    settle(app)
    window.close()
    facade.ws.close()
    facade.workspace = None
    print(json.dumps({"ratio": window.devicePixelRatioF(), "shots": shots, "problems": problems}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
