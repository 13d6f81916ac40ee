"""The one TaskRunner: latest result wins, progress, cancel, stop, errors as sentences, and the
thread-or-process rule with a real child process."""

from __future__ import annotations

import os
import threading

import pytest

from cmio_desktop.ui.common.tasks import (
    IN_THREAD_MAX_TIES,
    ChildProcessFailed,
    TaskRunner,
    run_in_process,
    runs_in_child_process,
)
from cmio_desktop.ui.network_metrics import metrics_runner_for

WAIT = 20_000


def _double(_ctx, value):
    return value * 2


def _gated(ctx, gate: threading.Event, value):
    """Waits for ``gate`` (checking for cancel), then returns ``value``."""
    while not gate.wait(0.005):
        ctx.check()
    return value


def _steps(ctx, gate: threading.Event, steps: int):
    for i in range(steps):
        ctx.progress(100 * i // steps, f"step {i}")
        gate.wait(0.005)  # stands for a slice of real work
    return "all steps"


def _stoppable(ctx, started: threading.Event):
    started.set()
    while not ctx.stopping:
        threading.Event().wait(0.002)
    ctx.progress(50, "stopping")  # a stop request does not raise, unlike a cancel
    return "stopped early"


def _boom(_ctx):
    raise ValueError("the ledger does not balance")


def _pid() -> int:
    return os.getpid()


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner(freeze_heap=False)
    yield runner
    runner.cancel_all()
    assert runner.wait(10_000)


def test_quick_result_arrives_even_when_connected_after_start(qtbot, runner) -> None:
    task = runner.start(_double, 21)
    with qtbot.waitSignal(task.finished, timeout=WAIT) as blocker:
        pass
    assert blocker.args == [42]
    qtbot.waitUntil(lambda: runner.active == 0, timeout=WAIT)


def test_latest_result_wins_for_the_same_key(qtbot, runner) -> None:
    old_gate, new_gate = threading.Event(), threading.Event()
    seen: list[object] = []
    old = runner.start(_gated, old_gate, "old", key="load")
    old.then(seen.append, seen.append, lambda: seen.append("old cancelled"))
    new = runner.start(_gated, new_gate, "new", key="load")
    new.then(seen.append)
    other = runner.start(_double, 5, key="other")  # another key is left alone
    other.then(seen.append)
    assert old.superseded and runner.current("load") is new
    old_gate.set()
    new_gate.set()
    with qtbot.waitSignal(new.finished, timeout=WAIT):
        pass
    qtbot.waitUntil(lambda: runner.active == 0, timeout=WAIT)
    assert sorted(map(str, seen)) == ["10", "new"]  # the superseded task said nothing at all
    assert runner.current("load") is None


def test_discard_drops_the_outcome_silently(qtbot, runner) -> None:
    gate = threading.Event()
    seen: list[object] = []
    task = runner.start(_gated, gate, "late", key="view")
    task.then(seen.append, seen.append, lambda: seen.append("cancelled"))
    runner.discard("view")
    assert runner.current("view") is None
    gate.set()
    qtbot.waitUntil(lambda: runner.active == 0, timeout=WAIT)
    assert seen == []


def test_progress_is_reported_in_order(qtbot, runner) -> None:
    gate = threading.Event()
    seen: list[tuple[int, str]] = []
    task = runner.start(_steps, gate, 5)
    task.progress.connect(lambda percent, text: seen.append((percent, text)))
    with qtbot.waitSignal(task.finished, timeout=WAIT) as blocker:
        pass
    assert blocker.args == ["all steps"]
    assert seen == [(0, "step 0"), (20, "step 1"), (40, "step 2"), (60, "step 3"), (80, "step 4")]


def test_cancel_ends_the_task_cancelled_and_drops_its_result(qtbot, runner) -> None:
    gate = threading.Event()
    finished: list[object] = []
    task = runner.start(_gated, gate, "never shown", key="slow")
    task.finished.connect(finished.append)
    with qtbot.waitSignal(task.cancelled, timeout=WAIT), qtbot.waitSignal(task.done, timeout=WAIT):
        runner.cancel("slow")
    assert finished == [] and task.is_done


def test_a_stop_request_still_reports_how_the_task_ended(qtbot, runner) -> None:
    started = threading.Event()
    task = runner.start(_stoppable, started, key="commit")
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    with qtbot.waitSignal(task.finished, timeout=WAIT) as blocker:
        runner.request_stop("commit")
    assert blocker.args == ["stopped early"]


def test_an_error_arrives_as_one_sentence_not_a_traceback(qtbot, runner) -> None:
    task = runner.start(_boom)
    with qtbot.waitSignal(task.failed, timeout=WAIT) as blocker:
        pass
    message = blocker.args[0]
    assert "the ledger does not balance" in message
    assert "Traceback" not in message and "\n" not in message
    assert message.endswith(".")


def test_app_errors_say_their_own_sentence(qtbot, runner) -> None:
    from cmio_desktop.services.errors import ServiceError

    def refuse(_ctx):
        raise ServiceError("That initiative no longer exists.")

    task = runner.start(refuse)
    with qtbot.waitSignal(task.failed, timeout=WAIT) as blocker:
        pass
    assert blocker.args == ["That initiative no longer exists."]


def test_the_thread_or_process_rule() -> None:
    assert not runs_in_child_process(IN_THREAD_MAX_TIES)
    assert runs_in_child_process(IN_THREAD_MAX_TIES + 1)
    assert runs_in_child_process(1, in_thread_max_ties=0)


def test_run_in_process_uses_a_real_child_and_reports_errors() -> None:
    assert run_in_process(_pid) != os.getpid()
    assert run_in_process(divmod, 17, 5) == (3, 2)
    with pytest.raises(ChildProcessFailed, match="ZeroDivisionError"):
        run_in_process(divmod, 1, 0)


def _metrics_job(ctx, limit: int):
    """A small graph's metrics through the app's metrics runner, thread or process by ``limit``."""
    import numpy as np

    from cmio_desktop.analysis.network import NetworkSettings

    src, tgt = np.array([0, 1, 2], dtype=np.int32), np.array([1, 2, 0], dtype=np.int32)
    strength = np.ones(3)
    runner = metrics_runner_for(ctx, limit)
    metrics = runner([0, 1, 2], src, tgt, strength, NetworkSettings(), ["a", "a", "b"])
    return metrics.node_ids, [round(float(x), 6) for x in metrics.influence]


def test_process_mode_gives_the_same_metrics_as_thread_mode(qtbot, runner) -> None:
    in_thread = runner.start(_metrics_job, 10)
    with qtbot.waitSignal(in_thread.finished, timeout=WAIT) as thread_result:
        pass
    in_child = runner.start(_metrics_job, 0)  # every graph above 0 ties: a child process
    with qtbot.waitSignal(in_child.finished, timeout=60_000) as child_result:
        pass
    assert child_result.args == thread_result.args
    assert thread_result.args[0][0] == [0, 1, 2]


def _cancel_child(ctx, started: threading.Event):
    started.set()
    return run_in_process(_forever, context=ctx)


def _forever() -> None:
    threading.Event().wait()


def test_cancelling_a_process_task_terminates_the_child(qtbot, runner) -> None:
    started = threading.Event()
    task = runner.start(_cancel_child, started)
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    with qtbot.waitSignal(task.cancelled, timeout=WAIT):
        task.cancel()


def test_closing_the_owner_cancels_its_tasks_quietly(qtbot) -> None:
    from PySide6.QtCore import QObject, QThreadPool

    owner = QObject()
    runner = TaskRunner(owner, freeze_heap=False)
    started, gate, seen = threading.Event(), threading.Event(), []

    def work(ctx):
        started.set()
        gate.wait()
        seen.append(ctx.cancelled)
        ctx.progress(50, "after the owner closed")  # raises TaskCancelled: stop here
        return "never delivered"

    runner.start(work)
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    import shiboken6

    shiboken6.delete(owner)  # the dialog closed and deleted its runner and tasks
    gate.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT)
    assert QThreadPool.globalInstance().waitForDone(10_000)  # no error escapes the pool thread
    assert seen == [True]
