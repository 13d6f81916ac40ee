"""Who a communication's free-text audience ("Physicians", "Nursing", "Periop, ICU",
"All staff") reaches: each part matched to a department, a stakeholder group or a role.

A part matches when its words equal a department's, a group's or a role's (label or value),
allowing a plural or an "-ing" form ("Physicians" → Physician, "Nursing" → Nurse). A part that
matches nothing is reported, never guessed: a draft for it would go to the wrong people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cmio_desktop.enums import Role, StakeholderGroup

EVERYONE = frozenset(
    {"all", "all staff", "everyone", "everybody", "whole organisation", "whole organization",
     "organisation", "organization", "all employees", "all users", "staff"}
)  # fmt: skip
_SPLIT = re.compile(r",|;|/|\+|\band\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class AudiencePerson:
    id: int
    department: str
    role: str  # Role value
    group: str  # StakeholderGroup value


@dataclass(frozen=True)
class AudienceMatch:
    people: frozenset[int]
    matched: tuple[str, ...]  # "Physicians → role Physician"
    unmatched: tuple[str, ...]  # parts of the text that name nobody


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold().replace("&", " and ")))


def _stem(word: str) -> str:
    for ending in ("ing", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _same(part: tuple[str, ...], name: tuple[str, ...]) -> bool:
    if part == name:
        return True
    if len(part) != len(name):
        return False
    for a, b in zip(part, name, strict=True):
        sa, sb = _stem(a), _stem(b)
        if not (sa == sb or (len(sa) >= 4 and (sb.startswith(sa) or sa.startswith(sb)))):
            return False
    return True


def match_audience(text: str, people: Sequence[AudiencePerson]) -> AudienceMatch:
    """The people ``text`` names, how each part was read, and the parts that name nobody."""
    departments = {p.department for p in people if p.department}
    choices: list[tuple[tuple[str, ...], str, str]] = []  # (words, kind, value)
    choices += [(_words(d), "department", d) for d in sorted(departments)]
    for group in StakeholderGroup:
        choices += [(_words(group.label), "group", group.value)]
    for role in Role:
        choices += [
            (_words(role.label), "role", role.value),
            (_words(role.value), "role", role.value),
        ]
    found: set[int] = set()
    matched: list[str] = []
    unmatched: list[str] = []
    whole = _words(text)
    named_whole = " ".join(whole) in EVERYONE or any(_same(whole, n) for n, _, _ in choices)
    for raw in [text.strip()] if named_whole else _parts(text):  # "Research and Development"
        words = _words(raw)
        if " ".join(words) in EVERYONE:
            found |= {p.id for p in people}
            matched.append(f"{raw} → everyone")
            continue
        hits = [(kind, value) for name, kind, value in choices if name and _same(words, name)]
        if not hits:
            unmatched.append(raw)
            continue
        for kind, value in dict.fromkeys(hits):  # a department named like a role: both
            found |= {p.id for p in people if getattr(p, kind) == value}
            shown = value if kind == "department" else _label(kind, value)
            matched.append(f"{raw} → {kind} {shown}")
    return AudienceMatch(frozenset(found), tuple(matched), tuple(unmatched))


def _parts(text: str) -> Iterable[str]:
    for part in _SPLIT.split(text):
        if part.strip():
            yield part.strip()


def _label(kind: str, value: str) -> str:
    return (Role(value) if kind == "role" else StakeholderGroup(value)).label
