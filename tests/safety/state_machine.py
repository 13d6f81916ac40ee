"""A hypothesis state machine over the writes a user makes, with the app's undo and redo:
after every step the database equals a plain Python model, and the audit trail holds each
change with its user, time, old and new value. Shared by tests/unit/test_state_machine.py
and ``python -m benchmarks --only safety`` (more steps).

The model holds the register's edited fields per person, the planned activities, and the ties
and activity audiences (a tie or an audience row lives exactly while both its ends do).
Undo and redo follow a stack, as Edit → Undo does: a new action clears what could be redone.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tests.safety.operations import TODAY

EDITABLE = ("power", "interest", "title", "department")
TEXT = st.text(alphabet="abcdXYZé'-", min_size=1, max_size=12)
VALUES = {"power": st.integers(1, 5), "interest": st.integers(1, 5), "title": TEXT,
          "department": TEXT}  # fmt: skip
MAX_PLANS = 2  # plan generation runs the network analysis: a few per example are enough

# An expected audit row: (action, entity, entity_id, field, old, new); None matches anything.
Expected = tuple[str, str, int | None, str | None, str | None, str | None]


@dataclass
class Stats:
    steps: int = 0
    examples: int = 0
    audit_rows: int = 0
    refusals: int = 0  # stale edits refused with a sentence, as they should be
    by_rule: dict[str, int] = field(default_factory=dict)


STATS = Stats()


@dataclass
class Step:
    """One undoable action: how to take it back and put it again, and the model either way."""

    text: str
    undo: Callable[[], list[Expected]]
    redo: Callable[[], list[Expected]]


def audit_text(value: Any) -> str | None:
    from cmio_desktop.services.audit import to_text

    return to_text(value)


class WorkspaceMachine(RuleBasedStateMachine):
    template: Path  # a small sample workspace, copied for each example
    folder: Path

    def __init__(self) -> None:
        super().__init__()
        from cmio_desktop.services.audit import current_user
        from cmio_desktop.store import open_workspace

        STATS.examples += 1
        path = self.folder / f"example-{STATS.examples}.cmio"
        shutil.copyfile(self.template, path)
        self.path = path
        self.ws = open_workspace(path)
        self.user = current_user()
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []
        self.plans = 0
        self.serial = count(1)
        self.people, self.activities, self.ties, self.audience = self._read()
        self.all_ties = set(self.ties)
        self.all_audience = set(self.audience)
        self.audit_mark = self._audit_max()
        self.expected: list[Expected] = []

    # -- reading the database ------------------------------------------------------------------
    def _query(self, sql: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.path)) as conn:
            return conn.execute(sql).fetchall()

    def _read(self) -> tuple[dict[int, dict[str, Any]], set[int], set[tuple[int, int, int]],
                             set[tuple[Any, ...]]]:  # fmt: skip
        people = {
            r[0]: dict(zip(("name", *EDITABLE), r[1:], strict=True))
            for r in self._query(
                "SELECT id, name, power, interest, title, department FROM stakeholder"
            )
        }
        activities = {r[0] for r in self._query("SELECT id FROM activity")}
        ties = {tuple(r) for r in self._query("SELECT id, source_id, target_id FROM relationship")}
        audience = {
            tuple(r)
            for r in self._query(
                "SELECT activity_id, stakeholder_id, department, stakeholder_group "
                "FROM activity_audience"
            )
        }
        return people, activities, ties, audience  # type: ignore[return-value]

    def _audit_max(self) -> int:
        return int(self._query("SELECT coalesce(max(id), 0) FROM audit_event")[0][0])

    # -- doing, undoing, redoing ---------------------------------------------------------------
    def _did(self, rule_name: str, step: Step | None, expected: list[Expected]) -> None:
        STATS.steps += 1
        STATS.by_rule[rule_name] = STATS.by_rule.get(rule_name, 0) + 1
        self.expected = expected
        if step is not None:
            self.undo_stack.append(step)
            self.redo_stack.clear()

    def _live_people(self) -> list[int]:
        return sorted(self.people)

    @rule(data=st.data())
    def create_person(self, data: st.DataObject) -> None:
        from cmio_desktop.services.stakeholders import edits

        values = {"name": f"Person {next(self.serial)}", "power": data.draw(st.integers(1, 5)),
                  "interest": data.draw(st.integers(1, 5)), "title": data.draw(TEXT),
                  "department": data.draw(TEXT)}  # fmt: skip
        added = edits.create_stakeholder(self.ws, **values)
        ident = int(added.id)
        self.people[ident] = {k: values[k] for k in ("name", *EDITABLE)}
        kept: dict[str, Any] = {}

        def undo() -> list[Expected]:
            kept["snapshot"] = edits.remove_added(self.ws, added)
            kept["row"] = self.people.pop(ident)
            return [("delete", "stakeholder", ident, None, None, None)]

        def redo() -> list[Expected]:
            edits.restore(self.ws, kept["snapshot"])
            self.people[ident] = kept["row"]
            return [("restore", "stakeholder", ident, None, None, None)]

        self._did("create", Step("create", undo, redo),
                  [("create", "stakeholder", ident, None, None, None)])  # fmt: skip

    @precondition(lambda self: bool(self.people))
    @rule(data=st.data())
    def edit_person(self, data: st.DataObject) -> None:
        from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO
        from cmio_desktop.services.stakeholders import edits

        ident = data.draw(st.sampled_from(self._live_people()))
        name = data.draw(st.sampled_from(EDITABLE))
        old, new = self.people[ident][name], data.draw(VALUES[name])

        def change(before: Any, after: Any, since: str) -> list[Expected]:
            edits.update_stakeholder(
                self.ws, ident, expected={name: before}, since=since, **{name: after}
            )
            self.people[ident][name] = after
            if before == after:
                return []
            return [("update", "stakeholder", ident, name, audit_text(before), audit_text(after))]

        expected = change(old, new, SINCE_OPENED)
        step = Step(
            "edit",
            lambda: change(new, old, SINCE_EDIT),
            lambda: change(old, new, SINCE_UNDO),
        )
        self._did("edit", step, expected)

    @precondition(lambda self: bool(self.people))
    @rule(data=st.data())
    def stale_edit_is_refused(self, data: st.DataObject) -> None:
        """An edit made over a value the user no longer sees is refused and changes nothing."""
        from cmio_desktop.services.conflicts import SINCE_OPENED
        from cmio_desktop.services.errors import ConflictError
        from cmio_desktop.services.stakeholders import edits

        ident = data.draw(st.sampled_from(self._live_people()))
        stored = self.people[ident]["power"]
        shown = data.draw(st.integers(1, 5).filter(lambda v: v != stored))
        try:
            edits.update_stakeholder(
                self.ws, ident, expected={"power": shown}, since=SINCE_OPENED, power=shown
            )
        except ConflictError as exc:
            # The value found, and who wrote it: this program's own earlier edit (from the
            # audit trail) or, for a value no audit row wrote (the sample's), someone else.
            author = r"(someone else|you in another window or program on \d+ \w+ \d{4} at [\d:]+)"
            assert re.search(rf"changed to {stored} by {author} since you opened it", str(exc)), exc
            STATS.refusals += 1
        else:
            raise AssertionError("an edit over a changed value was applied")
        self._did("stale edit", None, [])

    @precondition(lambda self: len(self.people) > 1)
    @rule(data=st.data())
    def delete_people(self, data: st.DataObject) -> None:
        from cmio_desktop.services.stakeholders import edits

        ids = data.draw(
            st.lists(st.sampled_from(self._live_people()), min_size=1, max_size=3, unique=True)
        )
        kept: dict[str, Any] = {}

        def delete() -> list[Expected]:
            kept["snapshot"] = edits.delete_stakeholders(self.ws, ids)
            kept["rows"] = {i: self.people.pop(i) for i in ids}
            return [("delete", "stakeholder", i, None, None, None) for i in ids]

        def restore() -> list[Expected]:
            edits.restore(self.ws, kept["snapshot"])
            self.people.update(kept["rows"])
            return [("restore", "stakeholder", i, None, None, None) for i in ids]

        self._did("delete", Step("delete", restore, delete), delete())

    @rule(size=st.integers(1, 4))
    def import_people(self, size: int) -> None:
        from cmio_desktop.services.importing.pipeline import prepare_import
        from cmio_desktop.services.importing.run import commit_import, redo_import, undo_import

        serial = next(self.serial)
        csv = self.folder / f"import-{STATS.examples}-{serial}.csv"
        names = [f"Imported {serial}-{i}" for i in range(size)]
        lines = [f"M{serial}-{i},{n},Nurse,Frontline clinician\n" for i, n in enumerate(names)]
        csv.write_text("Employee ID,Full name,Role,Group\n" + "".join(lines), encoding="utf-8")
        _source, _validation, plan = prepare_import(self.ws, csv, "stakeholders")
        token = commit_import(self.ws, plan).token
        rows = {
            int(row["id"]): {"name": row["name"], "power": row["power"],
                             "interest": row["interest"], "title": row.get("title"),
                             "department": row.get("department")}
            for row in token.created
        }  # fmt: skip
        assert sorted(r["name"] for r in rows.values()) == sorted(names)
        self.people.update(rows)
        created = [("create", "stakeholder", i, None, None, None) for i in rows]

        def undo() -> list[Expected]:
            undo_import(self.ws, token)
            for ident in rows:
                self.people.pop(ident)
            return [("delete", "stakeholder", i, None, None, None) for i in rows] + [
                ("undo", "stakeholder", None, None, None, None)
            ]

        def redo() -> list[Expected]:
            redo_import(self.ws, token)
            self.people.update(rows)
            return [*created, ("redo", "stakeholder", None, None, None, None)]

        self._did("import", Step("import", undo, redo),
                  [*created, ("import", "stakeholder", None, None, None, None)])  # fmt: skip

    @precondition(lambda self: self.plans < MAX_PLANS)
    @rule()
    def generate_plan(self) -> None:
        from cmio_desktop.services import crud, initiatives
        from cmio_desktop.services.plan.generation import accept, generate, undo_accept

        self.plans += 1
        initiative = initiatives.list_initiatives(self.ws)[0].id
        proposals = generate(self.ws, initiative, today=TODAY).plan.proposals
        if not proposals:  # nothing to accept: the app pushes no undo step either
            self._did("plan generation", None, [])
            return
        ids = accept(self.ws, initiative, proposals).value
        audience = {
            (a, p, None, None) for a, prop in zip(ids, proposals, strict=True) for p in prop.people
        }
        self.all_audience |= audience
        self.activities |= set(ids)
        kept: dict[str, Any] = {}

        def undo() -> list[Expected]:
            kept["snapshot"] = undo_accept(self.ws, ids)
            self.activities -= set(ids)
            return [("delete", "activity", i, None, None, None) for i in ids]

        def redo() -> list[Expected]:
            crud.restore(self.ws, kept["snapshot"])
            self.activities |= set(ids)
            return [("restore", "activity", i, None, None, None) for i in ids]

        self._did("plan generation", Step("plan", undo, redo),
                  [("create", "activity", i, None, None, None) for i in ids])  # fmt: skip

    @precondition(lambda self: bool(self.undo_stack))
    @rule()
    def undo(self) -> None:
        step = self.undo_stack.pop()
        expected = step.undo()
        self.redo_stack.append(step)
        STATS.steps += 1
        STATS.by_rule["undo"] = STATS.by_rule.get("undo", 0) + 1
        self.expected = expected

    @precondition(lambda self: bool(self.redo_stack))
    @rule()
    def redo(self) -> None:
        step = self.redo_stack.pop()
        expected = step.redo()
        self.undo_stack.append(step)
        STATS.steps += 1
        STATS.by_rule["redo"] = STATS.by_rule.get("redo", 0) + 1
        self.expected = expected

    # -- after every step ----------------------------------------------------------------------
    @invariant()
    def database_equals_model(self) -> None:
        people, activities, ties, audience = self._read()
        assert people == self.people
        assert activities == self.activities
        live = set(self.people)
        assert ties == {t for t in self.all_ties if t[1] in live and t[2] in live}
        assert audience == {
            a for a in self.all_audience if a[0] in self.activities and a[1] in (None, *live)
        }

    @invariant()
    def audit_trail_holds_every_change(self) -> None:
        rows = self._query(
            "SELECT action, entity, entity_id, field, old_value, new_value, user_name, at "
            f"FROM audit_event WHERE id > {self.audit_mark} ORDER BY id"
        )
        self.audit_mark = self._audit_max()
        STATS.audit_rows += len(rows)
        for row in rows:
            assert row[6] == self.user and row[7], row  # who, and when
        for wanted in self.expected:
            assert any(
                all(w is None or w == got for w, got in zip(wanted, row[:6], strict=True))
                for row in rows
            ), (wanted, rows)
        if not self.expected:
            assert rows == [], rows  # a refused or empty change leaves no trace
        self.expected = []

    def teardown(self) -> None:
        self.ws.close()


def make_template(folder: Path, people: int = 15) -> Path:
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "machine-start.cmio"
    ws = create_workspace(path, organisation="State Machine Health")
    try:
        generate_sample(ws, people=people, seed=11, today=TODAY)
    finally:
        ws.close()
    return path
