"""Service errors: database failures translated into sentences a user can act on."""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from cmio_desktop.store.errors import WorkspaceError

FIELD_LABELS = {
    "power": "Power (rated)",
    "interest": "Interest",
    "strength": "Tie strength",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "awareness": "Awareness",
    "desire": "Desire",
    "knowledge": "Knowledge",
    "ability": "Ability",
    "reinforcement": "Reinforcement",
    "external_id": "External id",
}


class ServiceError(Exception):
    """A use case refused; ``str(err)`` is a user-facing sentence."""


class NotFoundError(ServiceError):
    pass


class ConflictError(ServiceError):
    """Someone else changed the row since it was read (or since the edit an undo takes back)."""


# What an action can be refused with, each carrying a sentence for the user: the use case's own
# refusal, or the store's (another program holding the write lock, a file problem).
REFUSED: tuple[type[Exception], ...] = (ServiceError, WorkspaceError)


def _in_sqlite_words(orig: BaseException) -> str:
    """A PostgreSQL violation (told by its SQLSTATE and diagnostics) in SQLite's wording, so
    one set of sentences serves both engines; SQLite's own message as it is."""
    state = getattr(orig, "sqlstate", None)
    if state is None:
        return str(orig)
    diag = orig.diag  # type: ignore[attr-defined]
    if state == "23514":
        return f"CHECK constraint failed: {diag.constraint_name}"
    if state == "23505":
        key = re.search(r"Key \((\w+)", diag.message_detail or "")
        return f"UNIQUE constraint failed: {diag.table_name}.{key.group(1) if key else ''}"
    if state == "23503":
        return "FOREIGN KEY constraint failed"
    if state == "23502":
        return f"NOT NULL constraint failed: {diag.table_name}.{diag.column_name}"
    return (diag.message_primary or str(orig)).rstrip(".")


def describe_integrity_error(exc: IntegrityError, entity: str) -> str:
    """Turn a constraint violation into a sentence, using the constraint naming convention."""
    message = _in_sqlite_words(exc.orig)
    check = re.search(r"CHECK constraint failed: ck_(\w+?)_(\w+)$", message)
    if check:
        name = check.group(2)
        if name.endswith("_range"):
            column = name.removesuffix("_range")
            return f"{FIELD_LABELS.get(column, column.title())} must be between 1 and 5."
        if name == "not_self":
            return "A person cannot influence themselves."
        if name == "dates_ordered":
            return "The end date must not be before the start date."
        return f"The {entity} has an invalid {name.replace('_', ' ')}."
    unique = re.search(r"UNIQUE constraint failed: (\w+)\.(\w+)", message)
    if unique:
        column = unique.group(2)
        if unique.group(1) == "relationship":
            return "That tie already exists; edit it instead."
        return f"{FIELD_LABELS.get(column, column.replace('_', ' '))} is already in use."
    if "FOREIGN KEY constraint failed" in message:
        return f"The {entity} refers to something that no longer exists."
    if "NOT NULL constraint failed" in message:
        column = message.rsplit(".", 1)[-1]
        return f"{FIELD_LABELS.get(column, column.replace('_', ' ').capitalize())} is required."
    return f"The {entity} could not be saved: {message}."
