"""Files only the user may read: the log, screenshots, and the folders made for them.

``open(..., "w")`` and Qt's ``QFile`` create files with the process umask (usually 0644:
readable by every account on the machine). The log holds error details and screenshots show
people's names, so both are created 0600 here, whatever the umask, and folders made for them
0700. Log lines are redacted: SQLAlchemy puts a failed statement's parameters (a note's text,
a person's name) into the error's text, and the log keeps only the statement's shape.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
FOLDER_MODE = 0o700

# "[parameters: ('secret note', 12)]" — one line as SQLAlchemy writes it (values are repr'd,
# so a newline inside a value never ends the line early); everything after it is dropped.
_PARAMETERS = re.compile(r"\[(?:SQL )?parameters: [^\n]*")
# "[SQL: UPDATE … SET notes='secret' …]": literal values inside a logged statement.
_STATEMENT = re.compile(r"\[SQL: .*?\](?=\n|\\n|$)", re.DOTALL)
_LITERAL = re.compile(r"'(?:[^']|'')*'|x'[0-9a-fA-F]*'")
REDACTED_PARAMETERS = "[parameters: redacted]"


def redact(text: str) -> str:
    """``text`` without SQL parameter values or literals (ids and kinds stay readable)."""
    if "[SQL" not in text and "parameters:" not in text:
        return text
    text = _PARAMETERS.sub(REDACTED_PARAMETERS, text)
    return _STATEMENT.sub(lambda m: _LITERAL.sub("?", m.group()), text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose every line — message, traceback, stack — goes through
    :func:`redact`, whichever logger or ``exc_info`` produced it."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class PrivateFileHandler(logging.FileHandler):
    """A ``FileHandler`` whose file is created (and kept) 0600 in a 0700 folder."""

    def __init__(self, filename: str | os.PathLike[str], encoding: str = "utf-8") -> None:
        folder = Path(filename).parent
        make_private_folder(folder)
        os.chmod(folder, FOLDER_MODE)  # the log's own folder, perhaps made 0755 by an old version
        super().__init__(filename, mode="a", encoding=encoding, delay=False)

    def _open(self) -> IO[str]:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        os.fchmod(fd, FILE_MODE)  # an older log may have been created 0644
        return open(fd, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) 0700; an existing folder is left as it is."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        with contextlib.suppress(FileExistsError):
            parent.mkdir(mode=FOLDER_MODE)
        os.chmod(parent, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a 0600 file: a temporary file beside it, then one rename,
    so an earlier file there is replaced only by a complete one."""
    path = Path(path)
    make_private_folder(path.parent)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:  # mkstemp creates the file 0600
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
