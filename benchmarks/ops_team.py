"""``python -m benchmarks --only team``: the team load test at full size (issue 13).

10 clients (processes) × 500 mixed operations (edits of the same 40 people, bulk edits,
imports of small rosters, undos) on one 10,000-person workspace, then the checks of
:mod:`benchmarks.team_load`: no lost update, the audit trail replays to the stored state,
every accepted change audited, no traceback. Counts and throughput, not a ratio: the section
"team-sqlite" or "team-postgresql" of RESULTS.md. ``--team-location URL`` runs it on a team
server: the URL names an empty database, into which the same 10,000 people are published first
(``cmio publish``), so both engines start from the same rows.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path

from benchmarks.machine import describe
from benchmarks.sections import replace_section
from benchmarks.team_load import run_load, summary

CLIENTS, OPERATIONS, PEOPLE = 10, 500, 10_000


def local_workspace(folder: Path, people: int) -> str:
    """A fresh workspace with ``people`` people (the store benchmark's rows) and no ties."""
    from benchmarks.ops_store import Fixture

    fixture = Fixture(folder, people)
    return str(fixture.populated)


def published(local: str, url: str) -> str:
    """``url`` (an empty database) holding a copy of the workspace at ``local``."""
    from cmio_desktop.services.team import publish
    from cmio_desktop.store.locations import create_location, open_location

    server, source = create_location(url, organisation="Team load"), open_location(local)
    try:
        publish(source, server)
    finally:
        source.close()
        server.close()
    return url


def main(output: Path | None, location: str | None = None, quick: bool = False) -> None:
    clients, operations, people = (3, 20, 1_000) if quick else (CLIENTS, OPERATIONS, PEOPLE)
    workdir = Path(tempfile.mkdtemp(prefix="cmio-team-"))
    try:
        where = local_workspace(workdir, people)
        if location:
            where = published(where, location)
        report = run_load(where, clients, operations, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    found = summary(report)
    print(found, flush=True)
    if report.failures or report.problems:
        for line in (report.problems + report.failures)[:20]:
            print(line)
        raise SystemExit("team load: lost updates, misrecorded changes or tracebacks (above)")
    if output is None:
        return
    on_server = where.startswith(("postgresql", "postgres:"))
    engine = "PostgreSQL (a local server)" if on_server else "SQLite (one local file)"
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(found["by_kind"].items()))
    by_kind = sum((t.refused_by_kind for t in report.tallies), Counter())
    refused = ", ".join(f"{k} {v:,}" for k, v in sorted(by_kind.items())) or "none"
    lines = [
        f"## Team load on {engine.split(' (')[0]}: concurrent clients on one workspace "
        "(`--only team`)",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, {engine}. Machine:",
        *describe(),
        "",
        f"**{clients} clients × {operations} operations on {report.people:,} people: "
        f"0 lost updates, 0 tracebacks, every accepted change audited.** "
        f"{report.accepted:,} accepted ({kinds}), {report.refused:,} refused because someone "
        f"had changed what they relied on first ({refused}: the sentence the app shows), "
        f"{report.busy:,} busy "
        f"(lock held past the timeout; nothing written) in {report.seconds:.0f} s: "
        f"**{report.throughput:.1f} accepted operations per second**.",
        "",
        "Checked after the run: for every field of every person the audit entries chain "
        "(each old value is the previous new value), replaying them from the starting state "
        "gives exactly the stored state (people created and deleted included), and the audit "
        "holds exactly the field changes, creations and deletions the clients were told "
        "succeeded. The clients all work on the same 40 people, so they collide on purpose.",
    ]
    replace_section(output, "team-postgresql" if on_server else "team-sqlite", "\n".join(lines))
    print(f"wrote {output}")
