"""Stakeholder fields: labels, and checking and typing values a user entered (no database)."""

from __future__ import annotations

import re
from typing import Any

from cmio_desktop.enums import Attitude, LabelledEnum, Role, StakeholderGroup
from cmio_desktop.services.errors import ServiceError

#: The fields a user may edit, with the label used in messages and undo texts.
FIELD_LABELS: dict[str, str] = {
    "name": "name",
    "title": "title",
    "role": "role",
    "group": "group",
    "department": "department",
    "site": "site",
    "email": "email",
    "phone": "phone",
    "external_id": "external id",
    "notes": "notes",
    "is_body": "body/committee",
    "power": "power (rated)",
    "interest": "interest",
    "attitude": "attitude",
    "desired_attitude": "desired attitude",
    "salience_power": "salience (power)",
    "salience_legitimacy": "salience (legitimacy)",
    "salience_urgency": "salience (urgency)",
    "physician_champion": "physician champion",
    "super_user": "super user",
    "custom_fields": "custom fields",
}
MAX_LENGTH = {
    "name": 200,
    "title": 400,
    "department": 200,
    "site": 200,
    "email": 320,
    "phone": 60,
    "external_id": 100,
    "notes": 4000,
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_NULL_WHEN_BLANK = ("email", "external_id")
_BOOLS = (
    "is_body",
    "salience_power",
    "salience_legitimacy",
    "salience_urgency",
    "physician_champion",
    "super_user",
)


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
    label = FIELD_LABELS.get(key)
    if label is None:
        raise FieldError(key, f"A stakeholder has no field '{key}'.")
    nice = label[:1].upper() + label[1:]
    if key in ("power", "interest"):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise FieldError(key, f"{nice} must be a whole number from 1 to 5.")
        return value
    if key in _BOOLS:
        return bool(value)
    if key in ("role", "group", "attitude", "desired_attitude"):
        enum_cls: type[LabelledEnum] = {"role": Role, "group": StakeholderGroup}.get(key, Attitude)
        if isinstance(value, enum_cls):
            return value
        try:
            return enum_cls.from_text(str(value or ""))
        except ValueError as exc:
            raise FieldError(key, f"{nice}: {exc}.") from None
    if key == "custom_fields":
        return _normalise_custom(value)
    text = "" if value is None else str(value).strip()
    if key == "name" and not text:
        raise FieldError(key, "Name is required.")
    if len(text) > MAX_LENGTH[key]:
        raise FieldError(key, f"{nice} is too long (at most {MAX_LENGTH[key]} characters).")
    if key == "email" and text and not _EMAIL.match(text):
        raise FieldError(key, f"'{text}' is not an email address (name@example.org).")
    if key in _NULL_WHEN_BLANK and not text:
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
