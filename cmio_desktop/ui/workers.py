"""Long work off the UI thread: a small task runner over ``QThreadPool``, and a helper that
runs a GIL-holding computation in a child process.

``TaskRunner.start(fn, *args)`` runs ``fn(context, *args)`` on a pool thread and returns a
:class:`Task` whose signals are emitted on the UI thread: ``progress(int, str)``,
``finished(object)``, ``failed(str)``, ``cancelled()`` and then ``done()``. Connect them right
after ``start()``: the outcome is delivered through the UI thread's event loop, so it cannot
arrive before the caller's connections exist, however quick the task. ``fn`` reports progress
with ``context.progress(percent, text)``, which also raises :class:`TaskCancelled` once
``task.cancel()`` was called — so cancelling takes effect between steps. ``fn`` returns plain
data and never touches widgets.

Three things stop the UI thread even when the work is on another thread, all measured here:

* Python's full (generation 2) garbage collections pause every thread while they traverse
  every container object — 30–70 ms each at start-up size. The runner calls ``gc.freeze()``
  once, before its first task, so the objects alive then (modules, classes, the window) leave
  the collector's scope. Bulk loads still triggered a collection every ~0.1 s at 100,000
  people, so loading code runs inside :func:`collector_paused`.
* Compiled libraries such as python-igraph hold the GIL for a whole call: a 0.3 s Louvain on a
  pool thread freezes the UI for 0.3 s. :func:`run_in_process` runs such a function in a child
  process while the pool thread waits on a pipe (the GIL is free), polls for cancellation
  every 50 ms and terminates the child when cancelled. Children fork from a "forkserver" that
  has already imported the modules named in :func:`preload_modules` (POSIX; a fresh
  interpreter per call elsewhere), so a call costs tens of milliseconds, not an import. As
  with any ``multiprocessing`` use, the program's main script must be import-safe (guarded by
  ``if __name__ == "__main__"``): children import it.
* Long single C calls on the pool thread (numpy over Python objects, database fetches of many
  rows): keep each step short — fetch in chunks of a few thousand rows.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class TaskCancelled(Exception):
    """Raised inside a task when it was cancelled; the runner reports ``cancelled``."""


class TaskContext:
    """Handed to the task function: progress reporting and the cancel flag."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._event = task._cancel_event

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise TaskCancelled()

    def progress(self, percent: int, text: str = "") -> None:
        """Report progress (0–100) and give cancellation a chance to take effect."""
        self.check()
        self._task._progressed.emit(int(percent), text)


class Task(QObject):
    """One unit of background work; lives on the UI thread, and so do its public signals.

    The pool thread never emits the public signals itself: it emits private ones, queued to
    this object, whose slots re-emit them on the UI thread. A queued event is only handled
    once the code that called ``TaskRunner.start`` has returned to the event loop, so
    connections made right after ``start()`` always see ``finished`` — however quick the task.
    """

    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()  # after any of finished / failed / cancelled

    _progressed = Signal(int, str)  # from the pool thread
    _completed = Signal(str, object)  # ("finished" | "failed" | "cancelled", payload)

    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        name: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name or getattr(fn, "__name__", "task")
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancel_event = threading.Event()
        self.is_done = False
        self._progressed.connect(self._on_progressed)
        self._completed.connect(self._on_completed)

    def cancel(self) -> None:
        self._cancel_event.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel_event.is_set()

    def _run(self) -> None:  # on the pool thread
        context = TaskContext(self)
        try:
            context.check()
            result = self._fn(context, *self._args, **self._kwargs)
            context.check()
        except TaskCancelled:
            self._completed.emit("cancelled", None)
        except Exception as exc:  # reported to the UI as one sentence, logged in full
            log.warning("Task %s failed:\n%s", self.name, traceback.format_exc())
            self._completed.emit("failed", _message(exc))
        else:
            self._completed.emit("finished", result)

    @Slot(int, str)
    def _on_progressed(self, percent: int, text: str) -> None:
        if not self.is_done:
            self.progress.emit(percent, text)

    @Slot(str, object)
    def _on_completed(self, outcome: str, payload: Any) -> None:
        self.is_done = True
        if outcome == "finished":
            self.finished.emit(payload)
        elif outcome == "failed":
            self.failed.emit(payload)
        else:
            self.cancelled.emit()
        self.done.emit()


def _message(exc: BaseException) -> str:
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.store import WorkspaceError
    from cmio_desktop.store.errors import storage_sentence

    if isinstance(exc, ServiceError | WorkspaceError | ExportError):
        return str(exc)
    sentence = storage_sentence(exc)  # a full or read-only disk
    if sentence:
        return sentence
    return f"{type(exc).__name__}: {exc}"


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task

    def run(self) -> None:
        self._task._run()


_heap_frozen = False


def freeze_long_lived_objects() -> None:
    """Exempt every object alive now from cyclic garbage collection (once per process).

    Safe for long-lived objects: they are still freed by reference counting; only cycles that
    exist right now would never be collected. Call after start-up, as the runner does.
    """
    global _heap_frozen
    if not _heap_frozen:
        gc.freeze()  # no collection first: a full one here would itself stall the UI
        _heap_frozen = True


_pause_lock = threading.Lock()
_pauses = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Suspend automatic garbage collection while a task loads bulk data (nestable, across
    threads). Loading 100,000 people triggered a full collection every ~0.1 s, each pausing
    the UI thread 40–60 ms; paused, the UI thread keeps ticking. Reference counting still
    frees everything that is not a cycle, so memory does not pile up."""
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


class TaskRunner(QObject):
    """Starts tasks on a thread pool and keeps them alive until they are done."""

    def __init__(
        self,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
        freeze_heap: bool = True,
    ) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._tasks: set[Task] = set()
        self._freeze_heap = freeze_heap

    def start(self, fn: Callable[..., Any], *args: Any, name: str = "", **kwargs: Any) -> Task:
        if self._freeze_heap:
            freeze_long_lived_objects()
        task = Task(fn, args, kwargs, name=name, parent=self)
        self._tasks.add(task)
        task.done.connect(self._on_task_done)
        self._pool.start(_Runnable(task))
        return task

    @Slot()
    def _on_task_done(self) -> None:
        task = self.sender()
        if isinstance(task, Task):
            task.is_done = True
            self._tasks.discard(task)
            task.deleteLater()

    @property
    def active(self) -> int:
        return len(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (shutdown and tests only)."""
        return self._pool.waitForDone(msecs)


# -- child processes for GIL-holding computations ------------------------------------------------

_preload: list[str] = []
_preload_lock = threading.Lock()
_POLL_SECONDS = 0.05


def preload_modules(modules: Sequence[str]) -> None:
    """Name modules the child processes should find already imported. Takes effect if called
    before the first child starts (later calls are remembered but the server keeps its set)."""
    with _preload_lock:
        for name in modules:
            if name not in _preload:
                _preload.append(name)


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        with _preload_lock:
            ctx.set_forkserver_preload(list(_preload))
        return ctx
    return multiprocessing.get_context("spawn")


def _child_main(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = fn(*args)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never lost
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    else:
        conn.send(("ok", result, ""))
    finally:
        conn.close()


def run_in_process(fn: Callable[..., Any], *args: Any, context: TaskContext | None = None) -> Any:
    """Call ``fn(*args)`` in a child process and return its (picklable) result.

    ``fn`` must be importable by name. When ``context`` is cancelled the child is terminated
    and :class:`TaskCancelled` raised. Errors in the child come back as ``RuntimeError``.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child_main, args=(sender, fn, args), daemon=True)
    process.start()
    sender.close()
    try:
        while True:
            if context is not None:
                context.check()
            if receiver.poll(_POLL_SECONDS):
                status, payload, details = receiver.recv()
                break
            if not process.is_alive() and not receiver.poll():
                raise RuntimeError(
                    f"the background process stopped unexpectedly (exit code {process.exitcode})"
                )
    finally:
        if process.is_alive():
            process.terminate()
        process.join(5)
        receiver.close()
    if status == "error":
        log.warning("Child process failed:\n%s", details)
        raise RuntimeError(payload)
    return payload
