"""File › Export to calendar… and File › Draft messages…: the menu actions write real files
(read back with icalendar and the standard library's email parser), say what they wrote, list
the audiences they could not address, and leave nothing behind in a read-only folder."""

from __future__ import annotations

import os
import stat
import tempfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtWidgets import QFileDialog, QMessageBox

from cmio_desktop.services.plan import activities
from cmio_desktop.services.plan.outbound import calendar_events, mail_drafts
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.settings import AppSettings


@pytest.fixture
def window(qtbot, tmp_path: Path, sample_ws):
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"), defer_pages=True)
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    yield window
    window.file_actions.outbound_runner.wait(10_000)
    window.page_by_key["dashboard"].wait()
    window.close()
    facade.workspace = None


@pytest.fixture
def messages(monkeypatch) -> dict[str, list[str]]:
    shown: dict[str, list[str]] = {"information": [], "warning": []}
    for kind in shown:
        monkeypatch.setattr(
            QMessageBox, kind, lambda _p, _title, text, *a, k=kind: shown[k].append(text)
        )
    return shown


def _save_as(monkeypatch, target: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "iCalendar files (*.ics)")
    )


def _uids(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _run(qtbot, window, key: str, messages: dict[str, list[str]]) -> str:
    """Trigger the File menu action and return the one message it ends with."""
    before = len(messages["information"]) + len(messages["warning"])
    window.file_actions.actions[key].trigger()
    qtbot.waitUntil(
        lambda: len(messages["information"]) + len(messages["warning"]) > before, timeout=30_000
    )
    return (messages["information"] + messages["warning"])[-1]


def test_the_file_menu_offers_both(window) -> None:
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Export to Ca&lendar…" in texts and "&Draft Messages…" in texts


def test_calendar_export_parses_back_and_a_second_export_keeps_the_uids(
    qtbot, window, sample_ws, tmp_path: Path, monkeypatch, messages
) -> None:
    target = tmp_path / "plan.ics"
    _save_as(monkeypatch, target)
    text = _run(qtbot, window, "calendar", messages)
    assert messages["warning"] == []
    export = calendar_events(sample_ws, 1)
    first = _uids(target)
    assert len(first) == len(export.events) > 10
    assert f"Wrote {len(export.events):,} events" in text and str(target) in text
    assert "activities" in text and "communication sends" in text
    assert "training deadlines" in text

    plan = activities.list_activities(sample_ws, 1)
    some = next(a for a in plan if a.due and a.status != "cancelled")
    activities.update_activity(sample_ws, some.id, {"title": "Renamed session"})
    _run(qtbot, window, "calendar", messages)
    again = _uids(target)
    assert set(again) == set(first)  # the calendar updates its events, never duplicates them
    renamed = next(e for u, e in again.items() if u.startswith(f"activity-{some.id}@"))
    assert str(renamed["SUMMARY"]) == "Renamed session"
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".ics", ".tmp")] == ["plan.ics"]


def test_drafts_are_written_and_the_unaddressed_audiences_listed(
    qtbot, window, sample_ws, tmp_path: Path, monkeypatch, messages
) -> None:
    from cmio_desktop.services.stakeholders import edits

    before = {d.audience: d for d in mail_drafts(sample_ws, 1).drafts}
    council = before["Patient & Family Council"]
    assert council.recipients
    nurse = next(
        p for p in (edits.get_stakeholder(sample_ws, i) for i in range(1, 121)) if p.role == "nurse"
    )
    edits.bulk_update(sample_ws, [nurse.id], email="")
    # Nobody in the council has an address any more: its draft cannot be written.
    names = {n for n, _e in council.recipients}
    council_ids = [i for i in range(1, 121) if edits.get_stakeholder(sample_ws, i).name in names]
    edits.bulk_update(sample_ws, council_ids, email="")

    folder = tmp_path / "drafts"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    text = _run(qtbot, window, "drafts", messages)
    assert messages["warning"] == []
    found = {d.audience: d for d in mail_drafts(sample_ws, 1).drafts}
    files = sorted(folder.iterdir())
    assert len(files) == len(found) - 1 and all(p.suffix == ".eml" for p in files)
    for path in files:
        with path.open("rb") as fh:
            message = BytesParser(policy=policy.default).parse(fh)
        draft = found[message["X-CMIO-Audience"]]
        assert {a.addr_spec for a in message["To"].addresses} == {e for _, e in draft.recipients}
        assert message["Subject"] == draft.subject
    assert f"Wrote {len(files)} drafts to {folder}" in text and "Nothing was sent" in text
    unaddressed = "Not drafted (nobody in the audience has an email address):"
    assert f"{unaddressed}\n• Patient & Family Council" in text
    assert nurse.name in text and "“Nursing”: 1 person has no email address" in text
    assert "Nursing: " in text  # and how many each written draft reaches


def _read_only(folder: Path, monkeypatch) -> None:
    """A folder the user cannot write to. Root ignores the mode bits, so there the temporary
    files fail as the operating system would fail them for anyone else."""
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:

        def denied(*_args, **_kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", denied)
        monkeypatch.setattr(tempfile, "mkdtemp", denied)


def test_a_read_only_folder_gets_a_sentence_and_no_files(
    qtbot, window, tmp_path: Path, monkeypatch, messages
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    _read_only(folder, monkeypatch)
    try:
        _save_as(monkeypatch, folder / "plan.ics")
        text = _run(qtbot, window, "calendar", messages)
        assert text == f"You cannot save files in “{folder}”; choose another folder."
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
        text = _run(qtbot, window, "drafts", messages)
        assert text == f"You cannot save files in “{folder}”; choose another folder."
        assert messages["information"] == []
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_without_a_workspace_the_actions_say_so(qtbot, tmp_path: Path, messages) -> None:
    window = MainWindow(WorkspaceFacade(), AppSettings(tmp_path / "s.ini"), defer_pages=True)
    qtbot.addWidget(window)
    assert window.file_actions.export_calendar() is None
    assert window.file_actions.draft_messages() is None
    assert messages["warning"] == ["Open a workspace first.", "Open a workspace first."]


def test_with_no_address_at_all_nothing_is_written_and_every_audience_listed(
    qtbot, window, sample_ws, tmp_path: Path, monkeypatch, messages
) -> None:
    from cmio_desktop.services.stakeholders import edits

    edits.bulk_update(sample_ws, list(range(1, 121)), email="")
    folder = tmp_path / "drafts"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    text = _run(qtbot, window, "drafts", messages)
    assert text.startswith("No draft was written: no audience has anyone with an email address.")
    for draft in mail_drafts(sample_ws, 1).drafts:
        assert f"• {draft.audience}\n" in text + "\n"
    assert list(folder.iterdir()) == []
