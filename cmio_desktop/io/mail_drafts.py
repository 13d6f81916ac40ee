"""Write mail drafts as .eml files a mail client opens ready to send (nothing is sent here).

One file per draft, named by its first send date and audience. ``X-Unsent: 1`` makes Outlook
open the file as a draft with a Send button; other clients open it as a message to forward.
All files are written into a temporary folder beside the target and moved in only when every
one is written, so a full disk or a read-only folder leaves no half-written set.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from pathlib import Path

from cmio_desktop.io.export_target import ExportError, write_failed


@dataclass(frozen=True)
class MailDraft:
    communication_id: int
    subject: str
    body: str
    sender: str
    first_send: date
    recipients: list[tuple[str, str]]  # (name, email)
    without_email: list[str]  # names of people in the audience with no address
    audience: str
    read_as: tuple[str, ...]  # how the audience text was read ("Physicians → role Physician")
    unmatched: tuple[str, ...]  # audience words that name nobody

    @property
    def file_stem(self) -> str:
        return f"{self.first_send.isoformat()} {self.audience}"[:80]


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def draft_message(draft: MailDraft) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["Subject"] = draft.subject
    message["To"] = ", ".join(formataddr((name, email)) for name, email in draft.recipients)
    message["X-Unsent"] = "1"
    message["X-CMIO-Audience"] = draft.audience
    message.set_content(draft.body)
    return message


def file_name(draft: MailDraft, taken: set[str]) -> str:
    stem = _UNSAFE.sub(" ", draft.file_stem).strip(" .") or "draft"
    name, n = f"{stem}.eml", 2
    while name.casefold() in taken:
        name, n = f"{stem} ({n}).eml", n + 1
    taken.add(name.casefold())
    return name


def write_drafts(drafts: list[MailDraft], folder: Path) -> list[Path]:
    """Write one .eml per draft with recipients into ``folder``; returns the files written.
    Drafts without any recipient are not written (the caller lists them as problems)."""
    if not folder.is_dir():
        raise ExportError(f"The folder “{folder}” does not exist.")
    sendable = [d for d in drafts if d.recipients]
    if not sendable:
        raise ExportError("No draft has a recipient with an email address; nothing was written.")
    try:
        staging = Path(tempfile.mkdtemp(prefix=".cmio-drafts-", dir=folder))
    except PermissionError:  # the same sentence as a calendar or workbook export
        raise ExportError(f"You cannot save files in “{folder}”; choose another folder.") from None
    except OSError as error:
        raise write_failed(error, folder / "drafts") from None
    written: list[Path] = []
    taken = {p.name.casefold() for p in folder.iterdir()}
    try:
        names = [file_name(d, taken) for d in sendable]
        for draft, name in zip(sendable, names, strict=True):
            (staging / name).write_bytes(bytes(draft_message(draft)))
        for name in names:  # same folder: each move is a rename
            (staging / name).rename(folder / name)
            written.append(folder / name)
    except OSError as error:
        for path in written:  # all or nothing: take back what was moved in
            path.unlink(missing_ok=True)
        raise write_failed(error, folder / (names[0] if written else "drafts")) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
