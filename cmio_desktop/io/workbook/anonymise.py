"""The anonymised workbook: every person becomes their role and a number ("Physician 12").

Numbers are given per role in order of the person's id, so one person has the same pseudonym
on every sheet (and in the next month's workbook). Email, title and external id are dropped.
Free text on the small sheets (activities, risks, communications, evidence, reasons) is scanned
for the names of people in the register — two words or more, as written — and those are
replaced too; anything else typed there is exported as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace

from .data import (
    ActivityRow,
    CommunicationRow,
    CriterionRow,
    Kpi,
    PersonName,
    RegisterRow,
    RiskRow,
    WorkbookData,
)

_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
MAX_NAME_WORDS = 5


def pseudonyms(register: list[RegisterRow] | tuple[RegisterRow, ...]) -> dict[int, str]:
    """person id → "Role n", numbered per role in id order."""
    counters: Counter[str] = Counter()
    out: dict[int, str] = {}
    for row in sorted(register, key=lambda r: r.person_id):
        role = row.role or "Person"
        counters[role] += 1
        out[row.person_id] = f"{role} {counters[role]}"
    return out


class NameScrubber:
    """Replaces the register's multi-word names inside free text with their pseudonyms."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._lookup: dict[str, str] = {}
        for name, pseudonym in names.items():
            words = name.split()
            if 2 <= len(words) <= MAX_NAME_WORDS:
                self._lookup.setdefault(" ".join(words).casefold(), pseudonym)

    def __call__(self, text: str) -> str:
        if not text or not self._lookup:
            return text
        words = list(_WORD.finditer(text))
        out: list[str] = []
        pos = i = 0
        while i < len(words):
            found = self._match(text, words, i)
            if found:
                size, end, pseudonym = found
                out += [text[pos : words[i].start()], pseudonym]
                pos = end
                i += size
            else:
                i += 1
        out.append(text[pos:])
        return "".join(out)

    def _match(self, text: str, words: list[re.Match[str]], i: int) -> tuple[int, int, str] | None:
        """(words matched, end offset, pseudonym) for the longest name starting at word i."""
        for size in range(min(MAX_NAME_WORDS, len(words) - i), 1, -1):
            gaps = (text[words[j].end() : words[j + 1].start()] for j in range(i, i + size - 1))
            if not all(gap.isspace() for gap in gaps):
                continue
            key, end = self._key(words, i, size), words[i + size - 1].end()
            if key in self._lookup:
                return size, end, self._lookup[key]
            if key.endswith(".") and key[:-1] in self._lookup:  # a full stop after the name
                return size, end - 1, self._lookup[key[:-1]]
        return None

    @staticmethod
    def _key(words: list[re.Match[str]], i: int, size: int) -> str:
        return " ".join(w.group() for w in words[i : i + size]).casefold()


def anonymise(data: WorkbookData) -> WorkbookData:
    """``data`` with every person named by pseudonym (see the module docstring)."""
    names = pseudonyms(list(data.register))
    scrub = NameScrubber({r.name: names[r.person_id] for r in data.register})

    def who(person_id: int | None, fallback: str = "Person") -> str:
        return names.get(person_id, fallback) if person_id is not None else fallback

    def person(p: PersonName) -> PersonName:
        return PersonName(p.person_id, who(p.person_id, "Unlisted person"))

    register = [
        RegisterRow(
            r.person_id,
            names[r.person_id],
            "",
            r.role,
            r.group,
            r.department,
            r.site,
            "",
            r.power,
            r.interest,
            r.quadrant,
            r.attitude,
            r.desired_attitude,
            r.readiness,
            r.barrier,
            r.flags,
            "",
            r.network_influence,
        )
        for r in sorted(data.register, key=lambda r: (r.role or "Person", r.person_id))
    ]  # by pseudonym: the order of the real names would hint at them
    influence = [replace(r, name=who(r.person_id), reason=scrub(r.reason)) for r in data.influence]
    return replace(
        data,
        register=register,
        influence=influence,
        kpis=[_kpi(k, scrub) for k in data.kpis],
        quadrants=[replace(q, leading=tuple(person(p) for p in q.leading)) for q in data.quadrants],
        activities=[_activity(a, scrub) for a in data.activities],
        communications=[_communication(c, scrub) for c in data.communications],
        risks=[_risk(r, scrub, person) for r in data.risks],
        go_no_go=replace(
            data.go_no_go,
            summary=scrub(data.go_no_go.summary),
            criteria=tuple(_criterion(c, scrub) for c in data.go_no_go.criteria),
        ),
    )


def _kpi(k: Kpi, scrub: NameScrubber) -> Kpi:
    value = scrub(k.value) if isinstance(k.value, str) else k.value
    return replace(k, value=value, comment=scrub(k.comment))


def _activity(a: ActivityRow, scrub: NameScrubber) -> ActivityRow:
    return replace(
        a,
        title=scrub(a.title),
        audience=scrub(a.audience),
        owner=scrub(a.owner),
        outcome=scrub(a.outcome),
    )


def _communication(c: CommunicationRow, scrub: NameScrubber) -> CommunicationRow:
    return replace(c, audience=scrub(c.audience), message=scrub(c.message), sender=scrub(c.sender))


def _risk(r: RiskRow, scrub: NameScrubber, person: Callable[[PersonName], PersonName]) -> RiskRow:
    return replace(
        r,
        description=scrub(r.description),
        owner=scrub(r.owner),
        mitigation=scrub(r.mitigation),
        people=tuple(person(p) for p in r.people),
    )


def _criterion(c: CriterionRow, scrub: NameScrubber) -> CriterionRow:
    return replace(c, evidence=scrub(c.evidence), name=scrub(c.name))


__all__ = ["NameScrubber", "anonymise", "pseudonyms"]
