"""Run one piece of import work at a time off the UI thread; plain results come back by signal.

A :class:`TaskRunner` starts a function on the global ``QThreadPool`` and calls back, on the UI
thread, the ``done`` or ``failed`` callable given with it. Starting another task, or
:meth:`TaskRunner.cancel`, makes the runner drop the outcome of the one before (reading a sheet
cannot be interrupted, but its result is then ignored); functions that can stop early receive a
``cancelled()`` callable and a ``progress(done, total)`` callable.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Work = Callable[[Callable[[], bool], Callable[[int, int], None]], Any]


class _Signals(QObject):
    finished = Signal(int, object)  # generation, result
    failed = Signal(int, str)  # generation, message
    progressed = Signal(int, int, int)  # generation, done, total


class _Task(QRunnable):
    def __init__(
        self,
        generation: int,
        work: Work,
        expected: tuple[type[BaseException], ...],
        signals: _Signals,
        stop: threading.Event,
    ) -> None:
        super().__init__()
        self.generation, self.work, self.expected = generation, work, expected
        self.signals, self.stop = signals, stop

    def run(self) -> None:
        def progress(done: int, total: int) -> None:
            self.signals.progressed.emit(self.generation, done, total)

        try:
            result = self.work(self.stop.is_set, progress)
        except self.expected as error:
            self.signals.failed.emit(self.generation, str(error))
        except Exception as error:  # never let a worker take the app down
            log.exception("Import task failed")
            from cmio_desktop.store.errors import storage_sentence

            message = storage_sentence(error) or f"Something went wrong: {error}"
            self.signals.failed.emit(self.generation, message)
        else:
            self.signals.finished.emit(self.generation, result)


class TaskRunner(QObject):
    """Starts tasks and reports the latest one's outcome; earlier outcomes are dropped."""

    progressed = Signal(int, int)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._running = False
        self._stop = threading.Event()
        self._signals = _Signals()
        self._signals.finished.connect(self._on_signals_finished)
        self._signals.failed.connect(self._on_signals_failed)
        self._signals.progressed.connect(self._on_signals_progressed)
        self._done: Callable[[Any], None] | None = None
        self._failed: Callable[[str], None] | None = None

    @property
    def running(self) -> bool:
        return self._running

    def start(
        self,
        work: Work,
        done: Callable[[Any], None],
        failed: Callable[[str], None],
        expected: tuple[type[BaseException], ...] = (),
    ) -> None:
        """Run ``work(cancelled, progress)``; then ``done(result)`` or ``failed(message)``.

        Exceptions of the ``expected`` types carry a message for the user; others are logged.
        """
        self.cancel()
        self._done, self._failed = done, failed
        self._generation += 1
        self._stop = threading.Event()
        task = _Task(self._generation, work, expected, self._signals, self._stop)
        self._set_running(True)
        QThreadPool.globalInstance().start(task)

    def request_stop(self) -> None:
        """Ask the current task to stop early, but still report how it ends (commits)."""
        self._stop.set()

    def cancel(self) -> None:
        """Ask the current task to stop, and ignore whatever it returns."""
        self._stop.set()
        self._generation += 1
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)

    def _on_signals_finished(self, generation: int, result: object) -> None:
        if generation == self._generation and self._done is not None:
            self._set_running(False)
            self._done(result)

    def _on_signals_failed(self, generation: int, message: str) -> None:
        if generation == self._generation and self._failed is not None:
            self._set_running(False)
            self._failed(message)

    def _on_signals_progressed(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.progressed.emit(done, total)
