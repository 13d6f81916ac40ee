"""The one way to run work off the UI thread (after Picard's ``util/thread.py``).

``TaskRunner.start(fn, *args, key=...)`` runs ``fn(context, *args)`` on a pool thread and
returns a :class:`Task` whose public signals are emitted on the UI thread: ``progress(int,
str)``, ``finished(object)``, ``failed(str)`` (one sentence, never a traceback), ``cancelled()``
and then ``done()``. Connect them right after ``start()``: the outcome travels through the UI
thread's event loop, so it cannot arrive before the caller's connections exist.

* **Latest result wins.** A task started with a ``key`` supersedes the running task of the same
  key: the older one is cancelled and its outcome dropped silently (no signal at all), so a
  slow, stale load never overwrites a newer one.
* **Cancel** (``task.cancel()`` / ``runner.cancel(key)``): ``context.progress`` and
  ``context.check`` raise :class:`TaskCancelled` from then on and the task ends ``cancelled``,
  whatever ``fn`` returns. **Stop** (``task.request_stop()``) only asks: ``context.stopping``
  turns true and the outcome is still reported (an import commit rolls back and says so).
* **Thread or child process.** Compiled graph libraries hold the GIL for a whole call, freezing
  the UI; :func:`runs_in_child_process` is the one rule (above :data:`IN_THREAD_MAX_TIES` ties)
  and :func:`run_in_process` runs such a call in a child while the pool thread waits on a pipe.

Two more things stop the UI thread even when the work is elsewhere, both measured here: full
garbage collections (the runner calls ``gc.freeze()`` once, and bulk loads run inside
:func:`collector_paused`), and long single C calls (keep each step short; fetch in chunks).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
import traceback
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

__all__ = [
    "IN_THREAD_MAX_TIES",
    "Task",
    "TaskCancelled",
    "TaskContext",
    "TaskRunner",
    "collector_paused",
    "error_sentence",
    "preload_modules",
    "run_in_process",
    "runs_in_child_process",
]

log = logging.getLogger(__name__)

#: Up to this many ties graph metrics run on the pool thread (the 400-person sample: 20 ms a
#: call); above, in a child process, because python-igraph holds the GIL for a whole call.
IN_THREAD_MAX_TIES = 3_000


def runs_in_child_process(ties: int, in_thread_max_ties: int = IN_THREAD_MAX_TIES) -> bool:
    """The thread-or-process rule, defined once: a graph this big leaves the UI process."""
    return ties > in_thread_max_ties


class TaskCancelled(Exception):
    """Raised inside a task once it was cancelled; the runner reports ``cancelled``."""


class TaskContext:
    """Handed to the task function: progress reporting, the cancel flag and the stop request."""

    def __init__(self, task: Task) -> None:
        self._task = task

    @property
    def cancelled(self) -> bool:
        return self._task._cancel_event.is_set()

    @property
    def stopping(self) -> bool:
        """True once the task was cancelled or asked to stop early."""
        return self.cancelled or self._task._stop_event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise TaskCancelled()

    def progress(self, percent: int, text: str = "") -> None:
        """Report progress (0–100) and give cancellation a chance to take effect."""
        self.check()
        try:
            self._task._progressed.emit(int(percent), text)
        except RuntimeError:  # the owner closed and took the task with it: stop here
            raise TaskCancelled() from None

    def count(self, done: int, total: int, text: str = "") -> None:
        """Report progress as ``done`` of ``total`` items."""
        self.progress(100 * done // max(total, 1), text)


class Task(QObject):
    """One unit of background work; it lives on the UI thread, and so do its public signals.

    The pool thread emits only private signals, queued to this object, whose slots re-emit the
    public ones on the UI thread once the caller has returned to the event loop.
    """

    progress = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()  # after any of finished / failed / cancelled (never for superseded tasks)

    _progressed = Signal(int, str)  # from the pool thread
    _completed = Signal(str, object)  # ("finished" | "failed" | "cancelled", payload)
    _ended = Signal()  # for the runner's bookkeeping, superseded or not

    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        name: str = "",
        key: Hashable | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name or getattr(fn, "__name__", "task")
        self.key = key
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._cancel_event = threading.Event()
        self._stop_event = threading.Event()
        self.is_done = False
        self.superseded = False
        self._progressed.connect(self._on_progressed)
        self._completed.connect(self._on_completed)

    def then(
        self,
        finished: Callable[[Any], object],
        failed: Callable[[str], object] | None = None,
        cancelled: Callable[[], object] | None = None,
        progress: Callable[[int, str], object] | None = None,
    ) -> Task:
        """Connect the outcome handlers in one call (Picard's ``next_func``); returns ``self``."""
        self.finished.connect(finished)
        if failed is not None:
            self.failed.connect(failed)
        if cancelled is not None:
            self.cancelled.connect(cancelled)
        if progress is not None:
            self.progress.connect(progress)
        return self

    def cancel(self) -> None:
        """Stop at the next progress report or check; the task ends ``cancelled``."""
        self._cancel_event.set()

    def request_stop(self) -> None:
        """Ask the task to stop early; how it ends (finished or failed) is still reported."""
        self._stop_event.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel_event.is_set()

    def _supersede(self) -> None:
        self.superseded = True
        self.cancel()

    def _run(self) -> None:  # on the pool thread
        context = TaskContext(self)
        try:
            context.check()
            result = self._fn(context, *self._args, **self._kwargs)
            context.check()
        except TaskCancelled:
            self._report("cancelled", None)
        except Exception as exc:  # reported to the UI as one sentence, logged in full
            log.warning("Task %s failed:\n%s", self.name, traceback.format_exc())
            self._report("failed", error_sentence(exc))
        else:
            self._report("finished", result)

    def _report(self, outcome: str, payload: Any) -> None:
        try:
            self._completed.emit(outcome, payload)
        except RuntimeError:  # the window that started the task has closed: nobody to tell
            log.info("Task %s ended (%s) after its owner closed", self.name, outcome)

    @Slot(int, str)
    def _on_progressed(self, percent: int, text: str) -> None:
        if not self.is_done and not self.superseded:
            self.progress.emit(percent, text)

    @Slot(str, object)
    def _on_completed(self, outcome: str, payload: Any) -> None:
        self.is_done = True
        if not self.superseded:
            if outcome == "finished":
                self.finished.emit(payload)
            elif outcome == "failed":
                self.failed.emit(payload)
            else:
                self.cancelled.emit()
            self.done.emit()
        self._ended.emit()


def error_sentence(exc: BaseException) -> str:
    """What the user reads when a task fails: the app's own errors say it themselves; a full
    or read-only disk gets the storage sentence; anything else one line (the log has the
    traceback)."""
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.io.tabular import ImportFileError
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.store import WorkspaceError
    from cmio_desktop.store.errors import storage_sentence

    if isinstance(exc, ServiceError | WorkspaceError | ExportError | ImportFileError):
        return str(exc)
    sentence = storage_sentence(exc)
    if sentence:
        return sentence
    if isinstance(exc, ChildProcessFailed):
        return f"The background calculation failed ({exc}). The details are in the log."
    return f"Something went wrong ({type(exc).__name__}: {exc}). The details are in the log."


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task

    def run(self) -> None:
        self._task._run()


class TaskRunner(QObject):
    """Starts tasks on a thread pool, keeps them alive until they end, and lets the latest
    task of each key win."""

    def __init__(
        self,
        parent: QObject | None = None,
        pool: QThreadPool | None = None,
        freeze_heap: bool = True,
    ) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._tasks: set[Task] = set()
        self._latest: dict[Hashable, Task] = {}
        self._freeze_heap = freeze_heap
        tasks = self._tasks  # the owner closing (a dialog, a page) cancels what it started
        self.destroyed.connect(lambda *_: [t._cancel_event.set() for t in list(tasks)])

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        name: str = "",
        key: Hashable | None = None,
        **kwargs: Any,
    ) -> Task:
        """Run ``fn(context, *args, **kwargs)``; a ``key`` supersedes that key's running task."""
        if self._freeze_heap:
            freeze_long_lived_objects()
        if key is not None:
            older = self._latest.get(key)
            if older is not None and not older.is_done:
                older._supersede()
        task = Task(fn, args, kwargs, name=name, key=key, parent=self)
        if key is not None:
            self._latest[key] = task
        self._tasks.add(task)
        task._ended.connect(self._on_task_ended)
        self._pool.start(_Runnable(task))
        return task

    def current(self, key: Hashable) -> Task | None:
        """The latest task started under ``key`` while it is still running."""
        task = self._latest.get(key)
        return task if task is not None and not task.is_done else None

    def is_current(self, task: Task) -> bool:
        return task.key is not None and self._latest.get(task.key) is task

    def cancel(self, key: Hashable) -> None:
        task = self.current(key)
        if task is not None:
            task.cancel()

    def request_stop(self, key: Hashable) -> None:
        """Ask ``key``'s running task to stop early; its outcome is still reported."""
        task = self.current(key)
        if task is not None:
            task.request_stop()

    def discard(self, key: Hashable) -> None:
        """Cancel ``key``'s running task and drop its outcome silently (nothing is emitted)."""
        task = self._latest.pop(key, None)
        if task is not None and not task.is_done:
            task._supersede()

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    @property
    def active(self) -> int:
        return len(self._tasks)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (shutdown and tests only)."""
        return self._pool.waitForDone(msecs)

    @Slot()
    def _on_task_ended(self) -> None:
        task = self.sender()
        if isinstance(task, Task):
            self._tasks.discard(task)
            if task.key is not None and self._latest.get(task.key) is task:
                del self._latest[task.key]
            task.deleteLater()


# -- the garbage collector -----------------------------------------------------------------------

_heap_frozen = False


def freeze_long_lived_objects() -> None:
    """Exempt every object alive now from cyclic garbage collection (once per process).

    Full collections pause every thread 30–70 ms at start-up size; long-lived objects are still
    freed by reference counting, only cycles that exist right now would never be collected.
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
    the UI thread 40–60 ms; reference counting still frees everything that is not a cycle."""
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


# -- child processes for GIL-holding computations ------------------------------------------------

_preload: list[str] = []
_preload_lock = threading.Lock()
_POLL_SECONDS = 0.05


class ChildProcessFailed(RuntimeError):
    """The function run by :func:`run_in_process` raised; the message names the error."""


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

    Children fork from a "forkserver" that has already imported :func:`preload_modules`' list
    (POSIX; a fresh interpreter elsewhere), so a call costs tens of milliseconds. ``fn`` must be
    importable by name, and the main script import-safe. When ``context`` is cancelled the
    child is terminated and :class:`TaskCancelled` raised; errors in the child come back as
    :class:`ChildProcessFailed`.
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
                raise ChildProcessFailed(
                    f"the background process stopped unexpectedly (exit code {process.exitcode})"
                )
    finally:
        if process.is_alive():
            process.terminate()
        process.join(5)
        receiver.close()
    if status == "error":
        log.warning("Child process failed:\n%s", details)
        raise ChildProcessFailed(payload)
    return payload
