"""Many people on one workspace at once: clients (real processes) run mixed edits, bulk edits,
imports and undos against the same rows, then the outcome is checked against the audit trail.

What "no lost update" means here, checked after every run (:func:`verify`):

* **Chained history.** For every field of every person, the audit entries in commit order form
  one chain: each change's old value is the previous change's new value. An edit that wrote
  over a value it had not seen (the lost update) breaks the chain at that field.
* **Final state = serial replay.** Replaying the audited changes one after another from the
  starting state gives exactly the stored state: every field's value is its last audited new
  value, and the people present are the starting ones plus those created minus those deleted.
* **Every accepted change audited.** The clients count the field changes, creations and
  deletions they were told succeeded; the audit trail holds exactly that many.
* **No traceback.** A refused action (someone changed the value first) and a busy workspace
  (the lock held past the timeout) are sentences the app shows; anything else is a failure.

``python -m benchmarks --only team`` runs 10 clients × 500 operations on a 10,000-person
workspace and writes its section of RESULTS.md; ``tests/unit/test_team_load.py`` runs it small.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import random
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("power", "interest", "notes")  # what the edits change: two numbers and a text
OPERATIONS = ("edit", "bulk", "undo", "import")
WEIGHTS = (60, 15, 20, 5)
HOT_PEOPLE = 40  # every client works on the same few people, so that they collide
IMPORT_ROWS = 5


@dataclass
class ClientTally:
    """What one client was told: accepted, refused (a conflict), busy, and the writes made."""

    client: int
    accepted: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    refused_by_kind: Counter[str] = field(default_factory=Counter)
    refusal_examples: dict[str, str] = field(default_factory=dict)
    busy: int = 0
    field_changes: int = 0
    created: int = 0
    deleted: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_client(location: str, client: int, operations: int, seed: int, folder: str) -> ClientTally:
    """One client's session: ``operations`` random actions, each a transaction of its own."""
    from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.services.importing.pipeline import prepare_import
    from cmio_desktop.services.importing.run import commit_import, undo_import
    from cmio_desktop.services.stakeholders import edits
    from cmio_desktop.store.errors import WorkspaceBusyError, WorkspaceError
    from cmio_desktop.store.locations import open_location

    tally = ClientTally(client)
    rng = random.Random(seed * 1_000 + client)
    ws = open_location(location)
    done: list[tuple[str, Any]] = []  # this client's own undo stack
    started = time.perf_counter()
    try:
        hot = sorted(rng.sample(range(1, HOT_PEOPLE * 2 + 1), HOT_PEOPLE))
        for step in range(operations):
            kind = rng.choices(OPERATIONS, WEIGHTS)[0]
            if kind == "undo" and not done:
                kind = "edit"
            try:
                if kind == "edit":
                    person = rng.choice(hot)
                    name = rng.choice(FIELDS)
                    shown = getattr(edits.get_stakeholder(ws, person), name)
                    new = _another(rng, name, shown, client, step)
                    edits.update_stakeholder(
                        ws, person, expected={name: shown}, since=SINCE_OPENED, **{name: new}
                    )
                    done.append(("edit", (person, name, shown, new)))
                    tally.field_changes += 1
                elif kind == "bulk":
                    people = rng.sample(hot, 3)
                    value = rng.randint(1, 5)
                    old = edits.bulk_update(ws, people, interest=value).value
                    done.append(("bulk", (old, value)))
                    tally.field_changes += sum(v["interest"] != value for v in old.values())
                elif kind == "import":
                    path = _roster(Path(folder), client, step)
                    _source, _validation, plan = prepare_import(ws, path, "stakeholders")
                    outcome = commit_import(ws, plan)
                    done.append(("import", outcome.token))
                    tally.created += outcome.created
                else:
                    what, detail = done[-1]
                    if what == "edit":
                        person, name, shown, new = detail
                        edits.update_stakeholder(
                            ws, person, expected={name: new}, since=SINCE_EDIT, **{name: shown}
                        )
                        tally.field_changes += 1
                    elif what == "bulk":
                        old, value = detail
                        edits.restore_values(ws, old, expected={"interest": value})
                        tally.field_changes += sum(v["interest"] != value for v in old.values())
                    else:
                        undo_import(ws, detail)
                        tally.deleted += len(detail.created)
                    done.pop()
                tally.accepted[kind] += 1
            except ServiceError as exc:
                if "changed" not in str(exc) and "since" not in str(exc):
                    tally.failures.append(f"{kind}: refused oddly: {exc}")
                tally.refused += 1
                tally.refused_by_kind[kind] += 1
                tally.refusal_examples.setdefault(kind, str(exc))
                if kind == "undo":
                    done.pop()  # a refused undo leaves the history, as in the app
            except WorkspaceBusyError:
                tally.busy += 1
            except WorkspaceError as exc:
                tally.failures.append(f"{kind}: {exc}")
            except Exception:  # the thing this test exists to find
                tally.failures.append(f"{kind}: {traceback.format_exc()}")
    finally:
        tally.seconds = time.perf_counter() - started
        ws.close()
    return tally


def _another(rng: random.Random, name: str, shown: Any, client: int, step: int) -> Any:
    if name == "notes":
        return f"client {client} step {step}"
    return rng.choice([v for v in range(1, 6) if v != shown])


def _roster(folder: Path, client: int, step: int) -> Path:
    """A small CSV of new people, named so that no two clients' rows match each other."""
    path = folder / f"roster-{client}-{step}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Title", "Department", "Email"])
        for row in range(IMPORT_ROWS):
            writer.writerow(
                [
                    f"Client{client} Step{step} Person{row}",
                    "Staff Nurse",
                    "Med-Surg",
                    f"c{client}.s{step}.p{row}@example.org",
                ]
            )
    return path


@dataclass
class LoadReport:
    clients: int
    operations: int
    people: int
    seconds: float
    tallies: list[ClientTally]
    problems: list[str]

    @property
    def accepted(self) -> int:
        return sum(sum(t.accepted.values()) for t in self.tallies)

    @property
    def refused(self) -> int:
        return sum(t.refused for t in self.tallies)

    @property
    def busy(self) -> int:
        return sum(t.busy for t in self.tallies)

    @property
    def failures(self) -> list[str]:
        return [f for t in self.tallies for f in t.failures]

    @property
    def throughput(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


def run_load(
    location: str, clients: int, operations: int, folder: Path, seed: int = 7
) -> LoadReport:
    """Start ``clients`` processes at once on ``location``; wait; check the outcome."""
    before = snapshot(location)
    context = multiprocessing.get_context("spawn")  # no SQLite handle crosses a fork
    started = time.perf_counter()
    with context.Pool(clients) as pool:
        tallies = pool.starmap(
            run_client,
            [(location, c, operations, seed, str(folder)) for c in range(clients)],
        )
    seconds = time.perf_counter() - started
    problems = verify(location, before, tallies)
    return LoadReport(clients, operations, len(before), seconds, tallies, problems)


def snapshot(location: str) -> dict[int, dict[str, Any]]:
    """Every person's tracked fields, by id."""
    from sqlalchemy import select

    from cmio_desktop import models as m
    from cmio_desktop.store.locations import open_location

    ws = open_location(location)
    try:
        with ws.read_session() as session:
            table = m.Stakeholder.__table__
            rows = session.execute(select(table.c.id, *(table.c[f] for f in FIELDS)))
            return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) for row in rows}
    finally:
        ws.close()


def verify(
    location: str, before: dict[int, dict[str, Any]], tallies: list[ClientTally]
) -> list[str]:
    """Sentences for every way the run lost or misrecorded an update (empty: none)."""
    from sqlalchemy import select

    from cmio_desktop import models as m
    from cmio_desktop.services.audit import to_text
    from cmio_desktop.store.locations import open_location

    ws = open_location(location)
    try:
        with ws.read_session() as session:
            audit = session.execute(
                select(
                    m.AuditEvent.action,
                    m.AuditEvent.entity_id,
                    m.AuditEvent.field,
                    m.AuditEvent.old_value,
                    m.AuditEvent.new_value,
                )
                .where(m.AuditEvent.entity == "stakeholder")
                .order_by(m.AuditEvent.id)
            ).all()
    finally:
        ws.close()
    after = snapshot(location)
    problems: list[str] = []
    replay = {ident: {k: to_text(v) for k, v in row.items()} for ident, row in before.items()}
    changes = created = deleted = 0
    for action, ident, name, old, new in audit:
        kind = action.rpartition(":")[2]  # undo and redo entries carry a mark before the action
        if kind == "create" and name is None:
            created += 1
            values = json.loads(new or "{}")
            replay[ident] = {k: to_text(values.get(k)) for k in FIELDS}
        elif kind == "delete" and name is None:
            deleted += 1
            replay.pop(ident, None)
        elif kind == "update" and name in FIELDS:
            changes += 1
            row = replay.setdefault(ident, {})
            if name in row and row[name] != old:
                problems.append(
                    f"lost update: person {ident} {name} was {row[name]!r} when a change "
                    f"recorded it as {old!r} → {new!r}"
                )
            row[name] = new
    if set(replay) != set(after):
        problems.append(
            f"people present differ from the replay: {len(set(replay) ^ set(after))} ids"
        )
    for ident, row in after.items():
        for name, value in row.items():
            expected = replay.get(ident, {}).get(name, to_text(value))
            if (to_text(value) or None) != (expected or None):
                problems.append(
                    f"person {ident} {name} is {value!r}; the replay gives {expected!r}"
                )
    told = (sum(t.field_changes for t in tallies), sum(t.created for t in tallies))
    if (changes, created) != told:
        problems.append(
            f"audit has {changes} field changes and {created} creations; the clients were "
            f"told of {told[0]} and {told[1]}"
        )
    made = sum(t.deleted for t in tallies)
    if deleted != made:
        problems.append(f"audit has {deleted} deletions; the clients were told of {made}")
    return problems


def summary(report: LoadReport) -> dict[str, Any]:
    return {
        "clients": report.clients,
        "operations_each": report.operations,
        "people": report.people,
        "accepted": report.accepted,
        "refused_as_conflicts": report.refused,
        "busy": report.busy,
        "failures": len(report.failures),
        "problems": len(report.problems),
        "seconds": round(report.seconds, 1),
        "accepted_per_second": round(report.throughput, 1),
        "by_kind": dict(sum((t.accepted for t in report.tallies), Counter())),
    }


if __name__ == "__main__":  # a quick manual run: python -m benchmarks.team_load WS.cmio
    import sys

    found = run_load(sys.argv[1], 4, 50, Path(sys.argv[1]).parent)
    print(json.dumps(summary(found), indent=2))
    print("\n".join(found.problems + found.failures[:5]))
