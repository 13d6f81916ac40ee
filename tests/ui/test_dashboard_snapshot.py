"""The dashboard kept per workspace revision: a reopened, untouched workspace shows the last
run's figures at once; any write (audited or not), another day, or a damaged file misses."""

from __future__ import annotations

import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from cmio_desktop.sample import generate_sample
from cmio_desktop.services import dashboard_snapshot
from cmio_desktop.services.dashboard_snapshot import file_stamp, keep, load, snapshot_file
from cmio_desktop.store import create_workspace, open_workspace
from cmio_desktop.ui.dashboard.page import DashboardPage
from cmio_desktop.ui.facade import WorkspaceFacade
from tests.conftest import SAMPLE_TODAY as TODAY

PARTS = ("summary_loaded", "network_loaded", "engagement_loaded")


@pytest.fixture
def ws_file(tmp_path: Path) -> Path:
    path = tmp_path / "riverside.cmio"
    fill = lambda ws: generate_sample(ws, people=120, seed=3, today=TODAY)  # noqa: E731
    create_workspace(path, organisation="Riverside Health", fill=fill).close()
    return path


def open_page(qtbot, path: Path) -> tuple[DashboardPage, WorkspaceFacade]:
    """The dashboard of ``path`` as the app shows it: the kept figures if they hold, else the
    figures computed after the workspace opened."""
    facade = WorkspaceFacade()
    page = DashboardPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    page.show()
    kept = load(path, TODAY)
    if kept is not None:
        page.show_snapshot(kept)
        facade.open(path)
    else:
        with qtbot.waitSignals([getattr(page, p) for p in PARTS], timeout=60_000):
            facade.open(path)
    return page, facade


def close(page: DashboardPage, facade: WorkspaceFacade) -> bool:
    """Close as the app does (workspace first) and keep the dashboard; True if it was kept."""
    page.wait()
    facade.close()
    snap = page.snapshot()
    return snap is not None and keep(snap)


def card_texts(page: DashboardPage) -> dict[str, tuple[str, str]]:
    return {key: (c.value.text(), c.note.text()) for key, c in page.cards.items()}


def test_a_reopened_workspace_shows_the_kept_figures(qtbot, ws_file: Path) -> None:
    first, facade = open_page(qtbot, ws_file)
    assert first.from_snapshot is None  # nothing kept yet: computed
    shown = card_texts(first)
    assert close(first, facade)
    kept = snapshot_file(ws_file.resolve())
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # private, like the analysis cache

    again = load(ws_file, TODAY)
    assert again is not None
    assert (again.summary, again.network, again.engagement) == (
        first.summary, first.network, first.engagement,
    )  # fmt: skip
    second, facade = open_page(qtbot, ws_file)
    # Shown from the snapshot, and it still holds once the workspace is open: nothing reloads.
    assert second.from_snapshot is not None
    assert card_texts(second) == shown
    assert close(second, facade)  # kept again, for the file as closed this time


def test_a_write_makes_the_next_start_compute_the_new_figures(qtbot, ws_file: Path) -> None:
    from cmio_desktop.services.governance import records as governance

    page, facade = open_page(qtbot, ws_file)
    assert page.cards["risks"].value.text() == "2"
    assert close(page, facade)
    ws = open_workspace(ws_file)
    try:
        risk = next(r for r in governance.list_risks(ws, 1) if r.criticality == "critical")
        governance.update_risk(ws, risk.id, {"status": "closed"})
    finally:
        ws.close()

    assert load(ws_file, TODAY) is None  # a new revision: the kept figures are stale
    page, facade = open_page(qtbot, ws_file)
    assert page.from_snapshot is None
    assert page.cards["risks"].value.text() == "1"
    close(page, facade)


def test_another_programs_unaudited_write_misses(qtbot, ws_file: Path) -> None:
    page, facade = open_page(qtbot, ws_file)
    assert close(page, facade)
    with sqlite3.connect(ws_file) as conn:  # no audit event: only the file itself changes
        conn.execute("UPDATE risk SET status = 'closed' WHERE criticality = 'critical'")
    conn.close()
    assert load(ws_file, TODAY) is None
    page, facade = open_page(qtbot, ws_file)
    assert page.cards["risks"].value.text() == "0"
    close(page, facade)


def test_another_day_or_other_code_misses(qtbot, ws_file: Path, monkeypatch) -> None:
    page, facade = open_page(qtbot, ws_file)
    assert close(page, facade)
    assert load(ws_file, TODAY) is not None
    assert load(ws_file, TODAY + timedelta(days=1)) is None  # "due in 14 days" moves daily
    monkeypatch.setattr(dashboard_snapshot, "code_fingerprint", lambda: "other code")
    assert load(ws_file, TODAY) is None


def test_a_commit_still_in_the_write_ahead_log_misses(qtbot, ws_file: Path) -> None:
    page, facade = open_page(qtbot, ws_file)
    assert close(page, facade)
    conn = sqlite3.connect(ws_file)  # another program, still open: its commit is in the -wal
    try:
        conn.execute("UPDATE risk SET status = 'closed' WHERE criticality = 'critical'")
        conn.commit()
        assert Path(f"{ws_file}-wal").stat().st_size > 0
        assert load(ws_file, TODAY) is None
    finally:
        conn.close()
    assert load(ws_file, TODAY) is None  # checkpointed into the file now


def test_a_damaged_or_foreign_snapshot_is_ignored(qtbot, ws_file: Path) -> None:
    page, facade = open_page(qtbot, ws_file)
    assert close(page, facade)
    kept = snapshot_file(ws_file.resolve())
    text = kept.read_text(encoding="utf-8")
    kept.write_text(text[: len(text) // 2], encoding="utf-8")  # truncated
    assert load(ws_file, TODAY) is None
    # Only the dashboard's own dataclasses are ever rebuilt from the file.
    kept.write_text(text.replace('"$": "NetworkKpis"', '"$": "Path"'), encoding="utf-8")
    assert load(ws_file, TODAY) is None
    page, facade = open_page(qtbot, ws_file)  # computed again, and kept again
    assert page.from_snapshot is None
    assert close(page, facade)
    assert load(ws_file, TODAY) is not None


def test_only_a_plain_sqlite_file_is_stamped(tmp_path: Path) -> None:
    other = tmp_path / "other.cmio"
    other.write_bytes(b"\x8f" * 4096)  # what an encrypted workspace looks like from outside
    assert file_stamp(other) is None
    assert file_stamp(tmp_path / "missing.cmio") is None


def test_a_write_in_the_session_is_kept_at_its_new_revision(qtbot, ws_file: Path) -> None:
    from cmio_desktop.services.changes import ChangeKind, ChangeSet
    from cmio_desktop.services.governance import records as governance
    from cmio_desktop.services.workspace_info import revision

    page, facade = open_page(qtbot, ws_file)
    before = revision(facade.ws)
    risk = next(r for r in governance.list_risks(facade.ws, 1) if r.criticality == "critical")
    governance.update_risk(facade.ws, risk.id, {"status": "closed"})
    with qtbot.waitSignal(page.summary_loaded, timeout=20_000):
        facade.announce(ChangeSet.of(ChangeKind.RISK))  # the network figures stand: not reloaded
    snap = page.snapshot()
    assert snap is not None and snap.revision == revision(facade.ws) > before
    assert close(page, facade)
    page, facade = open_page(qtbot, ws_file)  # the next start: the new figures, kept
    assert page.from_snapshot is not None
    assert page.cards["risks"].value.text() == "1"
    close(page, facade)
