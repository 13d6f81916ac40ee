"""Plain input of the optional History sheet (the audit trail), and the rule that keeps it out
of anonymised workbooks.

The History sheet names who changed what and shows old and new values as typed (names,
emails, notes), which no pseudonym can cover, so an anonymised export that asks for it is
refused with a sentence rather than quietly written without it: the person asking learns why,
and a workbook labelled anonymised never holds the trail.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from cmio_desktop.io.export_target import ExportError

HISTORY = "history"
OPT_IN_SHEETS = frozenset({HISTORY})
"""Sheets written only when asked for by name (never by "every sheet")."""
HISTORY_LIMIT = 10_000  # newest changes on the sheet; the CLI's `cmio history` pages the rest
HISTORY_REFUSED = (
    "The History sheet names who changed what, with old and new values as typed, so it is "
    "never part of an anonymised workbook: leave out the History sheet or anonymising."
)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user: str
    record: str  # "Person: Jane Smith"
    action: str  # "Changed", "Added", "Deleted", "Restored", "Undone"…
    field: str  # "" for a whole-record change
    old: str
    new: str
    mark: str  # "Undo", "Redo" or ""


@dataclass(frozen=True)
class HistoryTrail:
    entries: Sequence[HistoryEntry] = ()
    more: bool = False  # older changes exist beyond HISTORY_LIMIT


def check_history_choice(sheets: Collection[str] | None, anonymised: bool) -> None:
    """Raise ``ExportError`` when an anonymised export asks for the History sheet."""
    if anonymised and sheets is not None and HISTORY in sheets:
        raise ExportError(HISTORY_REFUSED)
