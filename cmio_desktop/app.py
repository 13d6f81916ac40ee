"""Application start-up: QApplication, excepthook, settings, first-run sample workspace."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from cmio_desktop import __version__, paths
from cmio_desktop.private_files import (
    PrivateFileHandler,
    RedactingFormatter,
    redact,
    write_private_bytes,
)
from cmio_desktop.resource_files import resource_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger("cmio_desktop")
SCREENSHOT_WAIT_S = 20.0
DESKTOP_ID = "org.cmio_desktop.CmioDesktop"  # resources/<id>.desktop and .metainfo.xml
DASHBOARD_WAIT_MS = 60_000


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cmio-desktop", description="CMIO Desktop")
    parser.add_argument(
        "workspace", nargs="?", help="a .cmio workspace, or a team workspace's postgresql:// URL"
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the window after loading, save it as PNG and exit",
    )
    parser.add_argument("--page", default=None, help="page to show (with --screenshot)")
    parser.add_argument("--size", default="1360x860", help="window size WxH for --screenshot")
    # For tests and the start-up benchmark: what was loaded at first paint; when to stop.
    parser.add_argument("--first-paint-report", metavar="FILE.json", help=argparse.SUPPRESS)
    parser.add_argument(
        "--exit-after", choices=("first-paint", "dashboard"), help=argparse.SUPPRESS
    )
    return parser.parse_args(list(argv))


def configure_logging() -> Path:
    log_path = paths.log_file()
    handler = PrivateFileHandler(log_path)  # 0600, and no field values in any line
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return log_path


def install_excepthook(log_path: Path) -> None:
    """Log anything unexpected and tell the user, instead of dying silently."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        from cmio_desktop.services.errors import REFUSED
        from cmio_desktop.store.errors import storage_sentence

        if isinstance(exc, REFUSED):  # carries its own sentence ("another program is writing…")
            log.warning("Action refused: %s", exc_type.__name__)
            if QApplication.instance() is not None:
                QMessageBox.warning(None, "Not saved", str(exc))
            return
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        sentence = storage_sentence(exc)  # a full or read-only disk: say so, plainly
        if sentence and QApplication.instance() is not None:
            QMessageBox.warning(None, "Cannot save", sentence)
        elif QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "Something went wrong",
                f"CMIO Desktop hit an unexpected problem: {redact(str(exc))}\n\n"
                f"Your saved work is safe. Details were written to {log_path}.",
            )

    sys.excepthook = hook


def save_screenshot(widget: QWidget, path: Path) -> None:
    """The widget as a PNG only the user can read (0600; a missing folder is made 0700)."""
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    write_private_bytes(path, bytes(buffer.data().data()))


def choose_workspace(requested: str | None, last: Path | None) -> Path | str:
    """The requested file or team workspace URL; else the last file used if it still exists;
    else the sample."""
    if requested:
        if requested.strip().lower().startswith(("postgresql://", "postgres://")):
            return requested.strip()
        return Path(requested)
    if last is not None and last.exists():
        return last
    return paths.sample_workspace()


def ensure_sample(path: Path) -> None:
    """Create the first-run sample unless a real file is there. It is built under a temporary
    name, so a kill leaves no half-made sample; an empty leftover from before is made again."""
    from cmio_desktop.store.creation import is_unfinished_workspace

    if path.exists() and not is_unfinished_workspace(path):
        return
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace

    create_workspace(path, organisation="Riverside Health", fill=generate_sample).close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from cmio_desktop.store.errors import EncryptedWorkspaceError, WorkspaceError
    from cmio_desktop.ui.facade import WorkspaceFacade
    from cmio_desktop.ui.first_paint import FirstPaintWatcher, heavy_modules_loaded
    from cmio_desktop.ui.main_window import MainWindow
    from cmio_desktop.ui.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ID)  # ties windows to the installed .desktop entry and icon
    app.setWindowIcon(QIcon(str(resource_path("app-icon.svg"))))
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    install_excepthook(configure_logging())

    settings = AppSettings(paths.settings_file())
    facade = WorkspaceFacade(watch_outside_changes=True)  # notice other programs' changes
    # The window paints first; the workspace, the other pages and the heavy libraries follow.
    window = MainWindow(facade, settings, defer_pages=True)
    target = choose_workspace(args.workspace, settings.last_workspace)
    status = [0]

    def open_workspace() -> bool:
        try:
            if isinstance(target, str):  # a team workspace: the password is never printed
                from cmio_desktop.store.locations import open_location

                facade.set_workspace(open_location(target))
                return True
            if target == paths.sample_workspace():
                ensure_sample(target)
            facade.open(target)
        except WorkspaceError as exc:
            interactive = not (args.screenshot or args.exit_after)
            if interactive and isinstance(exc, EncryptedWorkspaceError):
                if window.file_actions.open_encrypted(target):  # asks for the passphrase
                    return True
                exc = WorkspaceError(f"{Path(target).name} is encrypted and was not opened.")
            if args.screenshot or args.exit_after:
                print(f"cmio-desktop: {exc}", file=sys.stderr)
                return False
            QMessageBox.warning(window, "Cannot open workspace", str(exc))
            if target == paths.sample_workspace():
                return False  # the sample itself cannot be made (a full disk): nothing to open
            try:
                ensure_sample(paths.sample_workspace())
                facade.open(paths.sample_workspace())
            except WorkspaceError as again:  # not even the sample (a full disk): say so, stop
                QMessageBox.critical(window, "Cannot open a workspace", str(again))
                return False
        return True

    dashboard = window.page_by_key["dashboard"]

    def after_first_paint() -> None:
        if args.first_paint_report:
            watcher.write_report(Path(args.first_paint_report))
        if args.exit_after == "first-paint":
            app.quit()
            return
        if args.exit_after == "dashboard":
            when_dashboard_complete(window, finish_after_dashboard)
            if show_kept_dashboard(dashboard, target):
                return  # complete already: the workspace is not even opened
        elif show_kept_dashboard(dashboard, target):  # figures now; the workspace opens next
            QTimer.singleShot(0, open_and_load)
            return
        open_and_load()

    def finish_after_dashboard() -> None:
        if args.first_paint_report:  # and what the complete dashboard needed loaded
            watcher.write_report(Path(args.first_paint_report), heavy_modules_loaded())
        window.close()
        app.quit()

    def open_and_load() -> None:
        if not open_workspace():
            status[0] = 1
            window.close()
            app.quit()
            return
        if args.exit_after == "dashboard":
            return  # when_dashboard_complete quits
        # The other pages (and their imports) once the dashboard is filled, or when opened.
        if dashboard.from_snapshot is not None:  # filled already, and it still holds
            QTimer.singleShot(0, window.build_pages)
        else:
            when_dashboard_complete(window, window.build_pages)
        if args.screenshot:
            QTimer.singleShot(300, capture)

    watcher = FirstPaintWatcher(window)
    watcher.painted.connect(lambda: QTimer.singleShot(0, after_first_paint))

    pool = QThreadPool.globalInstance()
    deadline = time.monotonic() + SCREENSHOT_WAIT_S
    idle_ticks = [0]
    failed: list[str] = []

    def capture() -> None:
        # Pages load in the background: wait until the workers have been idle a moment.
        idle_ticks[0] = idle_ticks[0] + 1 if pool.activeThreadCount() == 0 else 0
        if idle_ticks[0] < 3 and time.monotonic() < deadline:
            QTimer.singleShot(100, capture)
            return
        try:
            save_screenshot(window, Path(args.screenshot))
        except OSError as exc:
            failed.append(f"cannot save {args.screenshot}: {exc.strerror or exc}")
        window.close()
        app.quit()

    if args.screenshot or args.exit_after:
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
        if args.page:
            window.show_page(args.page)
    window.show()
    quit_on_signals(window)
    try:
        code = app.exec()
    finally:  # every way out closes the workspace: no -wal/-shm left beside it
        pool.waitForDone(10_000)  # let background loads finish before objects go away
        facade.close()
        keep_dashboard(dashboard)  # for the next start: the file as closed, its figures
    if status[0]:
        return status[0]
    if args.screenshot:
        if failed:
            print(f"cmio-desktop: {failed[0]}", file=sys.stderr)
            return 1
        return 0 if Path(args.screenshot).stat().st_size > 0 else 1
    return code


def quit_on_signals(window: QWidget) -> None:
    """Ctrl+C in the terminal (SIGINT) and SIGTERM close the window as File → Quit does.

    Python runs a signal handler only when the interpreter gets a turn, which Qt's C++ event
    loop never gives it by itself; a quarter-second timer does."""
    import signal

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def close(_signum: int, _frame: object) -> None:
        window.close()
        QApplication.quit()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, close)
    tick = QTimer(window)
    tick.timeout.connect(lambda: None)
    tick.start(250)


def show_kept_dashboard(dashboard: Any, target: Path | str) -> bool:
    """Fill the dashboard from the snapshot the last run kept for ``target``, if the file is
    untouched since (``services.dashboard_snapshot``: no SQLAlchemy); False if there is none."""
    if isinstance(target, str) or not target.is_file():
        return False
    from cmio_desktop.services.dashboard_snapshot import load

    snapshot = load(target, dashboard.clock())
    if snapshot is None:
        return False
    dashboard.show_snapshot(snapshot)
    return True


def keep_dashboard(dashboard: Any) -> None:
    """After the workspace closed: keep the dashboard's figures for the next start (only when
    every one of them belongs to the file as it was closed)."""
    snapshot = dashboard.snapshot()
    if snapshot is not None:
        from cmio_desktop.services.dashboard_snapshot import keep

        keep(snapshot)


def when_dashboard_complete(window: QWidget, then: Callable[[], Any]) -> None:
    """Call ``then`` once, when every dashboard figure (cards, charts, network cards) has
    arrived — or after ``DASHBOARD_WAIT_MS`` if one never does (a failed load)."""
    from PySide6.QtCore import QTimer

    dashboard = window.page_by_key["dashboard"]  # type: ignore[attr-defined]
    waiting = {"summary", "network", "engagement"}

    def arrived(part: str) -> None:
        if not waiting:
            return  # called already
        waiting.discard(part)
        if not waiting or part == "timeout":
            waiting.clear()
            then()

    dashboard.summary_loaded.connect(lambda: arrived("summary"))
    dashboard.network_loaded.connect(lambda: arrived("network"))
    dashboard.engagement_loaded.connect(lambda: arrived("engagement"))
    QTimer.singleShot(DASHBOARD_WAIT_MS, window, lambda: arrived("timeout"))


if __name__ == "__main__":
    sys.exit(main())
