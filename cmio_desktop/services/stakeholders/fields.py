"""Stakeholder fields: checking and typing values a user entered (no database), by the rules
of the field registry (:mod:`cmio_desktop.stakeholder_fields`)."""

from __future__ import annotations

import re
from typing import Any

from cmio_desktop.services.errors import ServiceError
from cmio_desktop.stakeholder_fields import BY_KEY, FIELDS

#: The fields a user may edit, with the label used in messages and undo texts.
FIELD_LABELS: dict[str, str] = {f.key: f.words for f in FIELDS} | {"custom_fields": "custom fields"}
#: Longest text each text field holds (the ORM column's length).
MAX_LENGTH: dict[str, int] = {f.key: f.max_length for f in FIELDS if f.max_length is not None}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class FieldError(ServiceError):
    """A value the user typed is not acceptable; ``field`` names the offending field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


def validate(changes: dict[str, Any]) -> dict[str, str]:
    """Every problem with ``changes``, as field → sentence (empty when all is well)."""
    errors: dict[str, str] = {}
    for key, value in changes.items():
        try:
            _normalise_one(key, value)
        except FieldError as exc:
            errors[key] = str(exc)
    return errors


def normalise(changes: dict[str, Any]) -> dict[str, Any]:
    """Checked, typed values ready to store; raises FieldError on the first bad one."""
    return {key: _normalise_one(key, value) for key, value in changes.items()}


def _normalise_one(key: str, value: Any) -> Any:
    if key == "custom_fields":
        return _normalise_custom(value)
    spec = BY_KEY.get(key)
    if spec is None:
        raise FieldError(key, f"A stakeholder has no field '{key}'.")
    nice = spec.words[:1].upper() + spec.words[1:]
    if spec.kind == "score":
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise FieldError(key, f"{nice} must be a whole number from 1 to 5.")
        return value
    if spec.kind == "flag":
        return bool(value)
    if spec.enum is not None:
        if isinstance(value, spec.enum):
            return value
        try:
            return spec.enum.from_text(str(value or ""))
        except ValueError as exc:
            raise FieldError(key, f"{nice}: {exc}.") from None
    text = "" if value is None else str(value).strip()
    if spec.blank == "required" and not text:
        raise FieldError(key, f"{nice} is required.")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise FieldError(key, f"{nice} is too long (at most {spec.max_length} characters).")
    if spec.kind == "email" and text and not _EMAIL.match(text):
        raise FieldError(key, f"'{text}' is not an email address (name@example.org).")
    if spec.nullable and not text:
        return None
    return text


def _normalise_custom(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FieldError("custom_fields", "Custom fields must be name/value pairs.")
    out: dict[str, Any] = {}
    for raw_key, raw_value in value.items():
        key = str(raw_key).strip()
        if not key:
            raise FieldError("custom_fields", "Every custom field needs a name.")
        if key in out:
            raise FieldError("custom_fields", f"The custom field '{key}' appears twice.")
        if raw_value is not None and not isinstance(raw_value, str | int | float | bool):
            raise FieldError("custom_fields", f"The value of '{key}' must be text or a number.")
        out[key] = raw_value.strip() if isinstance(raw_value, str) else raw_value
    return out
