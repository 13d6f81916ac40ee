"""Write a list as a CSV file for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads
the accents and arrows), written beside the target and moved into place, so a failure never
leaves a half-written file.

A CSV file has no cell types, so the quote-prefix style of :mod:`.xlsx_safety` is not
available: a cell a spreadsheet would run as a formula ("=…", "+…", "@…") gets a leading
apostrophe, the usual defence against CSV injection. These files are for reading, not for
importing back, so the changed text costs nothing.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from cmio_desktop.io.export_target import (
    check_target,
    replace_target,
    temp_beside,
    write_failed,
)
from cmio_desktop.io.xlsx_safety import is_risky

Progress = Callable[[int, int], None]


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if is_risky(text) else text


def write_table_csv(
    target: Path,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]] | Iterable[Sequence[object]],
    progress: Progress | None = None,
) -> int:
    """Write ``headers`` and ``rows`` to ``target`` (.csv); returns the rows written.
    ``progress(done, total)`` may raise to cancel; the target is then left as it was."""
    check_target(target, ".csv", "the list")
    rows = list(rows)
    temp = temp_beside(target)
    try:
        with open(temp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([safe_cell(h) for h in headers])
            for done, row in enumerate(rows, 1):
                writer.writerow([safe_cell(v) for v in row])
                if progress is not None and done % 5000 == 0:
                    progress(done, len(rows))
        replace_target(temp, target)
    except BaseException as error:  # a cancel, a full disk: the target is left as it was
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise write_failed(error, target) from None
        raise
    return len(rows)
