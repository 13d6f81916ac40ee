"""The file an export writes: checked first, written beside it, moved into place at the end.

A failure or cancel therefore never leaves a half-written or clobbered file; a target that is
locked (open in Excel on Windows) or in a folder the user cannot write to gives a sentence the
user can act on. No third-party imports, so the PDF briefing pack shares it cheaply.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class ExportError(Exception):
    """The export failed; ``str(error)`` is a message for the user."""


class ExportCancelled(ExportError):
    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


def check_target(target: Path, suffix: str = ".xlsx", what: str = "the workbook") -> None:
    if target.is_dir():
        raise ExportError(f"“{target.name}” is a folder; choose a file name ending in {suffix}.")
    if not target.parent.is_dir():
        raise ExportError(f"The folder “{target.parent}” does not exist.")
    if target.suffix.casefold() != suffix:
        raise ExportError(f"“{target.name}”: {what} is saved as a {suffix} file.")


def temp_beside(target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    except PermissionError:
        raise ExportError(
            f"You cannot save files in “{target.parent}”; choose another folder."
        ) from None
    except OSError as error:
        raise ExportError(
            f"“{target.name}” could not be written: {error.strerror or error}."
        ) from None
    os.close(fd)
    return Path(name)


def replace_target(temp: Path, target: Path) -> None:
    try:
        os.replace(temp, target)
    except PermissionError:
        raise ExportError(
            f"“{target.name}” could not be replaced: it is open in another program (such as "
            "Excel) or read-only. Close it, or choose another name, and export again."
        ) from None
    except OSError as error:
        raise ExportError(
            f"“{target.name}” could not be written: {error.strerror or error}."
        ) from None
