"""Turn one cell into a typed value, or say in plain words why it cannot be (``ValueError``).

Used by :mod:`.validation`. Text is trimmed (``str.strip``) and otherwise kept exactly as
given: nothing is evaluated, so ``"=1+2"`` stays those four characters.

Dates written as text are read as ISO (``2025-03-04``) when the year comes first, else as
day/month/year or month/day/year: :func:`infer_date_order` looks at the whole column and takes
the order that its unambiguous values (a first or second part above 12) show; when none shows
one, the caller's default applies (day/month/year unless told otherwise). Month names
(``4 Mar 2025``, ``Mar 4, 2025``, ``04-Mar-25``) are read in English. Two-digit years are 20xx.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Literal, TypeVar

from cmio_desktop.enums import LabelledEnum

DateOrder = Literal["dmy", "mdy"]
E = TypeVar("E", bound=LabelledEnum)

SCORE_MIN, SCORE_MAX = 1, 5
TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0"})


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value: object) -> str | None:
    """The cell as trimmed text, ``None`` when blank. Numbers lose a ``.0``; dates are ISO."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def display(value: object) -> str:
    """The cell as the user would recognise it in a message (untrimmed text; ``""`` if empty)."""
    if isinstance(value, str):
        return value
    return to_text(value) or ""


def parse_score(value: object) -> int | None:
    """A whole number 1–5 (``3``, ``3.0``, ``"3"``, ``" 3.0 "``); ``None`` when blank."""
    return parse_whole_number(value, SCORE_MIN, SCORE_MAX)


def parse_whole_number(value: object, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` (``-1``, ``"+2"``, ``"−1"``); ``None`` when
    blank."""
    if is_blank(value):
        return None
    number: float | int | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip().replace("\u2212", "-")  # a typographic minus
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = None
    if number is None or (isinstance(number, float) and not number.is_integer()):
        raise ValueError(
            f"must be a whole number from {low:+d} to {high:+d}"
            if low < 0
            else f"must be a whole number from {low} to {high}"
        )
    if not low <= number <= high:
        raise ValueError(
            f"must be from {low:+d} to {high:+d}" if low < 0 else f"must be from {low} to {high}"
        )
    return int(number)


def parse_flag(value: object) -> bool | None:
    """Yes/no: yes, y, true, 1, x, ✓ / no, n, false, 0; ``None`` when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = to_text(value)
    folded = word.casefold() if word else ""
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    raise ValueError("must be yes or no (yes/no, true/false, 1/0, x or blank)")


def parse_enum(value: object, enum: type[E]) -> E | None:
    """A member of ``enum`` by value, label or alias; the error lists the choices."""
    text = to_text(value)
    if text is None:
        return None
    return enum.from_text(text)  # type: ignore[return-value]


_EMAIL_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\\\]]+$")
_DOMAIN_LABEL = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")


def check_email(text: str) -> str:
    """``text`` if it looks like ``someone@example.org``, else ``ValueError``."""
    local, at, domain = text.rpartition("@")
    labels = domain.split(".")
    if (
        not at
        or not _EMAIL_LOCAL.match(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or len(labels) < 2
        or not all(_DOMAIN_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValueError("is not a valid email address (expected name@example.org)")
    return text


def looks_like_email(text: str) -> bool:
    try:
        check_email(text)
    except ValueError:
        return False
    return True


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$")
_NUMERIC = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){_TIME}$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[-/. ]+([A-Za-z]+)\.?[-/., ]+(\d{4}|\d{2})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]+)\.?[ -]+(\d{1,2})(?:st|nd|rd|th)?,?[ -]+(\d{4}|\d{2})$")


def infer_date_order(values: Iterable[object]) -> DateOrder | None:
    """The order unambiguous numeric dates in ``values`` show, or ``None`` (none, or both)."""
    seen: set[DateOrder] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                seen.add("dmy")
            elif second > 12 >= first:
                seen.add("mdy")
    return seen.pop() if len(seen) == 1 else None


def parse_date(value: object, order: DateOrder = "dmy") -> date | None:
    """A date from a date cell or text (see the module docstring); ``None`` when blank."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError("is a number, not a date (format the column as dates in Excel)")
    text = value.strip()
    order_name = "day/month/year" if order == "dmy" else "month/day/year"
    try:
        if match := _ISO.match(text):
            y, m, d = (int(g) for g in match.groups())
        elif match := _NUMERIC.match(text):
            a, b, y = (int(g) for g in match.groups())
            d, m = (a, b) if order == "dmy" else (b, a)
            y += 2000 if len(match.group(3)) == 2 else 0
        elif match := _DAY_MONTH_NAME.match(text):
            d, m, y = int(match.group(1)), _month(match.group(2)), _year(match.group(3))
        elif match := _MONTH_NAME_DAY.match(text):
            m, d, y = _month(match.group(1)), int(match.group(2)), _year(match.group(3))
        else:
            raise ValueError
        return date(y, m, d)
    except ValueError:
        raise ValueError(
            f"is not a date (use 2025-03-31 or {order_name}, as the column is read)"
        ) from None


def _month(name: str) -> int:
    return _MONTHS.get(name.casefold(), 0)


def _year(text: str) -> int:
    return int(text) + (2000 if len(text) == 2 else 0)
