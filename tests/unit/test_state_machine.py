"""Random sequences of edits, deletes, imports, plan generation, undo and redo (a hypothesis
state machine, tests/safety/state_machine.py): the database equals a plain Python model after
every step, and the audit trail holds every change with its user, time, old and new value
(issue #18, item 4). At least 500 steps per run; ``python -m benchmarks --only safety`` runs
many more."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.safety import state_machine
from tests.safety.state_machine import STATS, WorkspaceMachine, make_template

MIN_STEPS = 500


def test_the_database_follows_the_model_and_the_audit_trail_follows_every_change(
    tmp_path: Path,
) -> None:
    WorkspaceMachine.template = make_template(tmp_path / "start")
    WorkspaceMachine.folder = tmp_path
    before = STATS.steps
    run_state_machine_as_test(
        WorkspaceMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=40,
            deadline=None,
            database=None,  # the examples are random each run, not replayed from a cache dir
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    steps = STATS.steps - before
    assert steps >= MIN_STEPS, (steps, STATS.by_rule)
    for name in ("create", "edit", "delete", "import", "plan generation", "undo", "redo"):
        assert STATS.by_rule.get(name, 0) > 0, (name, STATS.by_rule)
    assert STATS.refusals > 0
    assert state_machine.MAX_PLANS >= 1
