"""The Notes sheet: what the figures mean, the settings behind them, and every cell whose text
had to change to fit in a workbook (characters removed, text cut at 32,767 characters)."""

from __future__ import annotations

import re
from typing import Any

from cmio_desktop.io.workbook.cells import BookContext, Styled
from cmio_desktop.io.workbook.data import WorkbookData
from cmio_desktop.io.workbook.layout import Column, begin_table, end_table

NOTES_COLUMNS = (Column("Item", 30, "bold+top"), Column("Detail", 110, "wrap"))
MAX_LISTED = 2_000


def sheet_reference(name: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted only when it has to be."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def write_notes(
    ctx: BookContext, ws: Any, data: WorkbookData, *, anonymised: bool, sheets: list[str]
) -> None:
    meta = data.meta
    writer = begin_table(
        ctx,
        ws,
        meta,
        "Notes",
        "How to read this workbook, and any cell whose text had to be adjusted.",
        NOTES_COLUMNS,
    )
    rows: list[tuple[str, str]] = [
        ("Organisation", meta.organisation),
        ("Initiative", meta.initiative),
        ("Prepared", f"{meta.prepared_on.day} {meta.prepared_on:%B %Y}"),
        ("Sheets", ", ".join(sheets)),
    ]
    if anonymised:
        rows.append(
            (
                "Anonymised",
                "People are named by role and number (for example “Physician 12”), the same "
                "person with the same name on every sheet; the numbers are dealt at random for "
                "this export (or, with a pseudonym key, stay the same in every export made with "
                "that key). Titles, email addresses and external IDs are left out. Counts of "
                "fewer than 5 people in a breakdown show “<5” and figures worked out from them "
                "are left blank; units and sites with fewer than 5 people of a role show as "
                "“Other units (<5)” / “Other sites (<5)”. Names found in free text were "
                "replaced as well, but review free text (activity titles, outcomes, risks) "
                "before sharing.",
            )
        )
    rows += list(data.definitions)
    rows.append(
        (
            "Text stays text",
            f"{ctx.neutralised:,} cell{'s' if ctx.neutralised != 1 else ''} begin with =, +, -, "
            "@ or a tab or line break; they are stored as text with Excel's quote prefix, so "
            "they are shown exactly as typed and never run as formulas."
            if ctx.neutralised
            else "Every text cell is stored as text; no cell runs a formula from typed text.",
        )
    )
    if not ctx.notes:
        rows.append(("Cell adjustments", "None: every text was written in full."))
    for item, detail in rows:
        writer.append((Styled(item, "bold+top"), Styled(detail, "wrap")))
    for sheet, cell, note in ctx.notes[:MAX_LISTED]:
        where = f"{sheet_reference(sheet)}!{cell}"
        writer.append((Styled(where, "bold+top"), Styled(note, "wrap")))
    if len(ctx.notes) > MAX_LISTED:
        more = len(ctx.notes) - MAX_LISTED
        writer.append((Styled("…", "bold+top"), Styled(f"and {more:,} more cells.", "wrap")))
    end_table(writer, NOTES_COLUMNS)
