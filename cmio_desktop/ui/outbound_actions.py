"""File › Export to calendar… and File › Draft messages…: the current initiative's plan out to
the user's calendar (one .ics file) and mail client (one .eml draft per communication), with
``services.plan.outbound`` building the events and drafts and ``io`` writing them safely
(beside the target, read back, then moved in: a failure leaves nothing half-written).

Nothing is sent. Each run ends in one message that says what was written and lists every
audience that could not be fully addressed (people without an email address, audience words
that name nobody) — never a silent drop."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from cmio_desktop.ui.common.tasks import Task, TaskContext, TaskRunner
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_save_path, remember_folder, start_folder

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

CALENDARS = {"iCalendar files (*.ics)": ".ics"}
CALENDAR_TITLE, DRAFTS_TITLE = "Export to calendar", "Draft messages"
KIND_WORDS = {
    "activity": ("activity", "activities"),
    "communication": ("communication send", "communication sends"),
    "course": ("training deadline", "training deadlines"),
}
RECIPIENTS = ("recipient", "recipients")
MAX_LINES = 25  # a message box taller than the screen hides its buttons


@dataclass(frozen=True)
class CalendarWritten:
    path: Path
    name: str
    kinds: dict[str, int]  # event kind → events written
    skipped: list[str]

    @property
    def events(self) -> int:
        return sum(self.kinds.values())


@dataclass(frozen=True)
class DraftsWritten:
    folder: Path
    files: list[Path]
    reached: list[tuple[str, int]]  # (audience, recipients) of the drafts written
    unaddressed: list[str]  # audiences with nobody to address: no draft written
    problems: list[str] = field(default_factory=list)  # one sentence per audience


# -- the work, off the UI thread ---------------------------------------------------------------


def calendar_job(ctx: TaskContext, ws: Any, initiative_id: int | None, target: Path) -> Any:
    from cmio_desktop.io.calendar_file import write_calendar
    from cmio_desktop.io.export_target import refuse_workspace
    from cmio_desktop.services.plan.outbound import calendar_events

    export = calendar_events(ws, initiative_id)
    ctx.check()
    refuse_workspace(target, ws.path)
    write_calendar(export, target)
    kinds = Counter(e.kind for e in export.events)
    return CalendarWritten(target, export.name, dict(kinds), list(export.skipped))


def drafts_job(ctx: TaskContext, ws: Any, initiative_id: int | None, folder: Path) -> Any:
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.io.mail_drafts import write_drafts
    from cmio_desktop.services.plan.outbound import mail_drafts

    found = mail_drafts(ws, initiative_id)
    if not found.drafts:
        raise ExportError("The initiative has no communications to draft; nothing was written.")
    ctx.check()
    sendable = [d for d in found.drafts if d.recipients]
    files = write_drafts(found.drafts, folder) if sendable else []
    return DraftsWritten(
        folder, files, [(d.audience, len(d.recipients)) for d in sendable],
        [d.audience for d in found.drafts if not d.recipients], found.problems,
    )  # fmt: skip


# -- what the user reads ---------------------------------------------------------------------------


def _plural(count: int, words: tuple[str, str]) -> str:
    return f"{count:,} {words[0] if count == 1 else words[1]}"


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    rest = len(lines) - MAX_LINES + 1
    return [*lines[: MAX_LINES - 1], f"… and {rest:,} more (`cmio drafts --json` lists all)."]


def calendar_report(r: CalendarWritten) -> str:
    parts = [_plural(r.kinds[k], KIND_WORDS[k]) for k in KIND_WORDS if r.kinds.get(k)]
    what = ", ".join(parts) if parts else "no dated items"
    lines = [
        f"Wrote {r.events:,} events of {r.name} to {r.path} ({what}).",
        "Importing a later export updates these events in your calendar instead of adding "
        "them twice.",
    ]
    if r.skipped:
        lines.append(f"Not in the calendar: {', '.join(r.skipped)}.")
    return "\n\n".join(lines)


def drafts_report(r: DraftsWritten) -> str:
    if r.files:
        head = (
            f"Wrote {_plural(len(r.files), ('draft', 'drafts'))} to {r.folder}. Nothing was "
            "sent: open them in your mail client to check and send."
        )
    else:
        head = "No draft was written: no audience has anyone with an email address."
    lines = [head, ""]
    lines += [f"• {audience}: {_plural(n, RECIPIENTS)}" for audience, n in r.reached]
    if r.unaddressed:
        lines += ["", "Not drafted (nobody in the audience has an email address):"]
        lines += [f"• {audience}" for audience in r.unaddressed]
    if r.problems:
        lines += ["", "Not everyone can be reached:"]
        lines += [f"• {problem}" for problem in r.problems]
    return "\n".join(_capped(lines)).strip()


# -- the actions -----------------------------------------------------------------------------------


def _ready(window: MainWindow, title: str) -> bool:
    if window.facade.workspace is None:
        show_error(window, title, "Open a workspace first.")
        return False
    return True


def _start(
    window: MainWindow, runner: TaskRunner, title: str, fn: Any, target: Path, report: Any
) -> Task:
    facade = window.facade
    task = runner.start(fn, facade.ws, facade.initiative_id, target, name=title, key=title)
    window.statusBar().showMessage(f"{title}…")
    task.finished.connect(lambda result: _finished(window, title, report(result)))
    task.failed.connect(lambda message: _failed(window, title, message))
    return task


def _finished(window: QWidget, title: str, text: str) -> None:
    window.statusBar().clearMessage()  # type: ignore[attr-defined]
    QMessageBox.information(window, title, text)


def _failed(window: QWidget, title: str, message: str) -> None:
    window.statusBar().clearMessage()  # type: ignore[attr-defined]
    show_error(window, title, message)


def export_calendar(window: MainWindow, runner: TaskRunner) -> Task | None:
    """File › Export to calendar…: ask for the .ics file, then write it in the background."""
    if not _ready(window, CALENDAR_TITLE):
        return None
    target = ask_save_path(window, CALENDAR_TITLE, "export", "engagement plan.ics", CALENDARS)
    if target is None:
        return None
    return _start(window, runner, CALENDAR_TITLE, calendar_job, target, calendar_report)


def draft_messages(window: MainWindow, runner: TaskRunner) -> Task | None:
    """File › Draft messages…: ask for a folder, then write one .eml per communication."""
    if not _ready(window, DRAFTS_TITLE):
        return None
    name = QFileDialog.getExistingDirectory(
        window, "Folder for the drafts", str(start_folder(window, "export"))
    )
    if not name:
        return None
    folder = Path(name)
    remember_folder(window, "export", folder)
    return _start(window, runner, DRAFTS_TITLE, drafts_job, folder, drafts_report)
