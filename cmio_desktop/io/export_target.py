"""The file an export writes: checked first, written beside it, moved into place at the end.

A failure or cancel therefore never leaves a half-written or clobbered file; a target that is
locked (open in Excel on Windows) or in a folder the user cannot write to gives a sentence the
user can act on. The finished file is read back (the zip of a workbook, the trailer of a PDF,
the signature of an image) and flushed to disk before it replaces anything, and no export may
replace a workspace: not the open one (:func:`refuse_workspace`, also through symlinks) and not
any other file stamped as a CMIO workspace. No third-party imports, so the PDF briefing pack
shares it cheaply.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import stat
import sys
import tempfile
import traceback
import zipfile
from collections.abc import Iterator
from pathlib import Path

_WORKSPACE_STAMP = b"CMIO"  # the application_id at offset 68 of a workspace's header
_SQLITE_MAGIC = b"SQLite format 3\x00"


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
    check_not_a_workspace(target)


def check_not_a_workspace(target: Path) -> None:
    """Refuse to replace anything but a regular file, and never a CMIO workspace."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return  # nothing there yet (a dangling symlink is replaced, not followed)
    if not stat.S_ISREG(mode):
        raise ExportError(f"“{target.name}” is not a regular file; choose another name.")
    try:
        with open(target, "rb") as fh:
            header = fh.read(72)
    except OSError:
        return  # unreadable: replace_target reports what the user can do
    if header.startswith(_SQLITE_MAGIC) and header[68:72] == _WORKSPACE_STAMP:
        raise ExportError(
            f"“{target.name}” is a CMIO workspace; an export never replaces a workspace. "
            "Choose another name."
        )


def refuse_workspace(target: Path, workspace: Path) -> None:
    """Refuse an export whose file is the open workspace (same file, also via symlinks)."""
    try:
        same = os.path.samefile(target, workspace)
    except OSError:
        same = os.path.abspath(target) == os.path.abspath(workspace)
    if same:
        raise ExportError(
            f"“{target.name}” is the open workspace; an export never replaces it. "
            "Choose another name."
        )


def temp_beside(target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    except PermissionError:
        raise ExportError(
            f"You cannot save files in “{target.parent}”; choose another folder."
        ) from None
    except OSError as error:  # a full disk or a read-only file system: the same sentence
        raise write_failed(error, target) from None
    os.close(fd)
    return Path(name)


def replace_target(temp: Path, target: Path) -> None:
    """Verify the finished ``temp``, flush it to disk, then move it over ``target``."""
    verify_output(temp, target)
    check_not_a_workspace(target)  # checked again: the file may have appeared meanwhile
    try:
        _fsync(temp)
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


@contextlib.contextmanager
def written_in_place(target: Path) -> Iterator[Path]:
    """For writers that take a file name (chart images): yields a temporary path beside
    ``target``; when the block succeeds, the file is verified and moved over ``target``."""
    check_not_a_workspace(target)
    temp = temp_beside(target)
    try:
        yield temp
        replace_target(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if not isinstance(error, ExportError) and os_error_in(error) is not None:
            raise write_failed(error, target) from None
        raise


def verify_output(temp: Path, target: Path) -> None:
    """Read the written file back; a damaged one never replaces the target."""
    suffix = target.suffix.casefold()
    try:
        size = temp.stat().st_size
        if size == 0:
            raise ValueError("it is empty")
        if suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(temp) as archive:
                if "[Content_Types].xml" not in archive.namelist() or archive.testzip():
                    raise ValueError("the workbook is incomplete")
        elif suffix == ".pdf":
            with open(temp, "rb") as fh:
                head = fh.read(5)
                fh.seek(max(0, size - 1024))
                tail = fh.read()
            if head != b"%PDF-" or b"%%EOF" not in tail:
                raise ValueError("the PDF is incomplete")
        elif suffix == ".png":
            with open(temp, "rb") as fh:
                if fh.read(8) != b"\x89PNG\r\n\x1a\n":
                    raise ValueError("the image is incomplete")
        elif suffix == ".svg":
            with open(temp, "rb") as fh:
                fh.seek(max(0, size - 256))
                if b"</svg>" not in fh.read():
                    raise ValueError("the image is incomplete")
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise ExportError(
            f"“{target.name}” was not replaced: the new file could not be verified ({reason})."
        ) from None


def write_failed(error: BaseException, target: Path) -> ExportError:
    """The sentence for a write that failed (a full disk, a read-only folder), after quietly
    releasing what the failed writer left behind."""
    release_quietly(error)
    error = os_error_in(error) or error
    code = getattr(error, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        reason = "the disk is full"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = "the folder is read-only"
    else:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return ExportError(f"“{target.name}” could not be written: {reason}; no file was replaced.")


def os_error_in(error: BaseException | None) -> OSError | None:
    """The OSError behind ``error``: itself, or one it was raised while handling (a writer that
    failed on a full disk often fails again while closing, with a less useful error)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OSError):
            return error
        seen.add(id(error))
        error = error.__context__
    return None


@contextlib.contextmanager
def quiet_finalisers() -> Iterator[None]:
    """Finalisers of a writer that failed mid-file (zip archives, XML streams, open files)
    fail again when collected on a full disk; their complaints ("Exception ignored in …")
    are noise after the sentence the user already has."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = previous


def release_quietly(error: BaseException | None) -> None:
    """Drop the frames of ``error`` (and what it chained) so the objects they hold are closed
    now, silently, rather than at exit with a page of tracebacks."""
    with quiet_finalisers():
        seen: set[int] = set()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            if error.__traceback__ is not None:
                traceback.clear_frames(error.__traceback__)
            error = error.__context__


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
