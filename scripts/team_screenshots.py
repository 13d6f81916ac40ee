"""Render the main window on a team workspace (presence) and in viewer mode at 1280x800, for
docs/screenshots/team-status.png and viewer-mode.png: a throwaway PostgreSQL cluster
(tests/pg_cluster.py), the 120-person sample, two colleagues connected.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python scripts/team_screenshots.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "pw"
PEOPLE = (
    ("sam.lee", "cmio_editor"),
    ("ana", "cmio_editor"),
    ("jo.park", "cmio_editor"),
    ("val.reed", "cmio_viewer"),
)


def main(out: Path) -> None:
    import psycopg
    from PySide6.QtWidgets import QApplication

    from cmio_desktop.resource_files import resource_path
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store.locations import create_location, open_location
    from cmio_desktop.store.server_roles import init_server
    from cmio_desktop.ui.facade import WorkspaceFacade
    from cmio_desktop.ui.main_window import MainWindow
    from cmio_desktop.ui.settings import AppSettings
    from tests.conftest import SAMPLE_TODAY
    from tests.pg_fixtures import start_server
    from tests.ui.test_screenshots import save_screenshot, settle

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    server, stop = start_server()
    try:
        db = server.new_database()
        url = server.url(db)

        def fill(ws) -> None:  # type: ignore[no-untyped-def]
            generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)

        create_location(url, organisation="Riverside Health", fill=fill).close()
        init_server(url)
        for user, role in PEOPLE:
            server.execute(f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{PASSWORD}'")
            server.execute(f'GRANT {role} TO "{user}"')
        others = [
            psycopg.connect(
                host="127.0.0.1",
                port=server.tcp_port,
                dbname=db,
                user=user,
                password=PASSWORD,
                application_name="cmio-desktop",
            )
            for user in ("sam.lee", "ana")
        ]

        def shot(user: str, name: str, page: str) -> None:
            facade = WorkspaceFacade(watch_outside_changes=True)
            window = MainWindow(facade, AppSettings(Path(tempfile.mkdtemp()) / "settings.ini"))
            window.resize(1280, 800)
            team = f"postgresql://{user}:{PASSWORD}@127.0.0.1:{server.tcp_port}/{db}"
            facade.set_workspace(open_location(team))
            facade.initiative_id = 1
            window.build_pages()
            window.show()
            window.show_page(page)
            deadline = time.monotonic() + 10
            while "Also open" not in window.team_status.presence.text():
                settle(app, 2)
                if time.monotonic() > deadline:
                    break
            settle(app)
            save_screenshot(window.grab().toImage(), out / f"{name}.png")
            print(name, window.team_status.presence.text())
            window.close()
            facade.close()

        shot("jo.park", "team-status", "dashboard")
        shot("val.reed", "viewer-mode", "stakeholders")
        for conn in others:
            conn.close()
    finally:
        stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
