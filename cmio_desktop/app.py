"""Application start-up: QApplication, excepthook, settings, first-run sample workspace."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from . import paths
from .resource_files import resource_path

log = logging.getLogger("cmio_desktop")
SCREENSHOT_WAIT_S = 20.0


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cmio-desktop", description="CMIO Desktop")
    parser.add_argument("workspace", nargs="?", help="a .cmio workspace to open")
    parser.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the window after loading, save it as PNG and exit",
    )
    parser.add_argument("--page", default=None, help="page to show (with --screenshot)")
    parser.add_argument("--size", default="1360x860", help="window size WxH for --screenshot")
    return parser.parse_args(list(argv))


def configure_logging() -> Path:
    log_path = paths.log_file()
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return log_path


def install_excepthook(log_path: Path) -> None:
    """Log anything unexpected and tell the user, instead of dying silently."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        from .services.errors import REFUSED

        if isinstance(exc, REFUSED):  # carries its own sentence ("another program is writing…")
            log.warning("Action refused: %s", exc_type.__name__)
            if QApplication.instance() is not None:
                QMessageBox.warning(None, "Not saved", str(exc))
            return
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "Something went wrong",
                f"CMIO Desktop hit an unexpected problem: {exc}\n\nYour saved work is safe. "
                f"Details were written to {log_path}.",
            )

    sys.excepthook = hook


def choose_workspace(requested: str | None, last: Path | None) -> Path:
    """The requested file; else the last one used if it still exists; else the sample."""
    if requested:
        return Path(requested)
    if last is not None and last.exists():
        return last
    return paths.sample_workspace()


def ensure_sample(path: Path) -> None:
    if path.exists():
        return
    from .sample import generate_sample
    from .store import create_workspace

    ws = create_workspace(path, organisation="Riverside Health")
    try:
        generate_sample(ws)
    finally:
        ws.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .store import WorkspaceError
    from .ui.facade import WorkspaceFacade
    from .ui.main_window import MainWindow
    from .ui.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(paths.APP_NAME)
    app.setStyle("Fusion")
    app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    install_excepthook(configure_logging())

    settings = AppSettings(paths.settings_file())
    facade = WorkspaceFacade(watch_outside_changes=True)  # notice other programs' changes
    window = MainWindow(facade, settings)
    target = choose_workspace(args.workspace, settings.last_workspace)
    try:
        if target == paths.sample_workspace():
            ensure_sample(target)
        facade.open(target)
    except WorkspaceError as exc:
        if args.screenshot:
            print(f"cmio-desktop: {exc}", file=sys.stderr)
            return 1
        QMessageBox.warning(None, "Cannot open workspace", str(exc))
        ensure_sample(paths.sample_workspace())
        facade.open(paths.sample_workspace())

    if args.screenshot:
        width, height = (int(v) for v in args.size.lower().split("x"))
        window.resize(width, height)
        if args.page:
            window.show_page(args.page)
        window.show()

        pool = QThreadPool.globalInstance()
        deadline = time.monotonic() + SCREENSHOT_WAIT_S
        idle_ticks = [0]

        def capture() -> None:
            # Pages load in the background: wait until the workers have been idle a moment.
            idle_ticks[0] = idle_ticks[0] + 1 if pool.activeThreadCount() == 0 else 0
            if idle_ticks[0] < 3 and time.monotonic() < deadline:
                QTimer.singleShot(100, capture)
                return
            window.grab().save(args.screenshot, "PNG")
            window.close()
            app.quit()

        QTimer.singleShot(300, capture)
        app.exec()
        pool.waitForDone(10_000)  # let background loads finish before objects go away
        return 0 if Path(args.screenshot).stat().st_size > 0 else 1
    window.show()
    status = app.exec()
    QThreadPool.globalInstance().waitForDone(10_000)
    facade.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
