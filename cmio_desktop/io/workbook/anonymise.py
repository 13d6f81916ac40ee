"""The anonymised workbook: every person becomes their role and a number ("Physician 12").

One person has the same pseudonym on every sheet of one workbook. Across workbooks it differs:
numbers are dealt out at random for each export, so two exports cannot be linked person by
person (numbering in database order, as before, made "Physician 12" the same person every
month). Someone who needs stable pseudonyms (to follow people from one month's export to the
next) keeps a key of their own: with it, each person's pseudonym is their role and a code
derived from the key and the person (HMAC-SHA-256), the same in every export made with the
same key and unguessable without it. Email, title and external id are dropped. Breakdowns with
fewer than five people are suppressed (:mod:`io.workbook.small_cells`).

Every other text that reaches a sheet — titles, outcomes, messages, risks, course names,
evidence, department names, the initiative's name — is scrubbed of the register's people in
every form a name is written in free text: the full name, the surname alone, initial and
surname ("Z. Quuxley"), title and surname ("Dr. Quuxley", "Dr Zebulon Quuxley"), a given name
alone when only one person has it, a one-word name, possessives ("Quuxley's"), any letter
case; also their email addresses and external ids. A form that points at one person becomes
their pseudonym; one shared by several people (two Halls) becomes "[name]".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from cmio_desktop.io.workbook.data import PersonName, RegisterRow, WorkbookData
from cmio_desktop.io.workbook.small_cells import suppress_small_cells
from cmio_desktop.stakeholder_fields import BY_KEY

AMBIGUOUS = "[name]"
# A word: letters and digits, joined by an apostrophe or hyphen (O'Brien, Smith-Jones, E-1042).
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_GAP_IN_NAME = re.compile(r"\.?\s+|\.")  # "Zebulon Quuxley", "Z. Quuxley", "Z.Quuxley"
HONORIFICS = frozenset({
    "dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev",
    "revd", "sister", "matron",
})  # fmt: skip
# Surnames and given names that are also everyday words: written in lower case, alone, they
# are the word ("town hall", "may be late", "at the park"), so they are left as typed.
_COMMON_WORDS = """
abbott amber april august baker banks bank barber bell berry best bill bird bishop black
bloom bond booth bourne bowman brain bright brook brooks brown bush butler cash castle chance
chapel church clay cook cooper cross crow dale dawn day dean dell dove drake duke dyer east
english fair faith field fields fish fisher fletcher ford forest fox frank free french frost
fry gale gardner gay glass glen gold golden good goodman grace gray green grey grove hall
hardy hart hay heath hill hills holly hope house hunt hunter iris irving ivy jay joy june
king knight lake lamb land lane law lee little long love lucky major marsh mason may mayo
mark march mill miller mills moon moore moss noble north oak oliver page palmer park parks
parson pearl penny person pierce pike pine plant pool pope porter potter power pratt price
quick rain ray reed rich ring river rivers robin rock rose rush sage salt sands savage
say scott sharp shepherd short silver small snow south sparks spring stark steel sterling
stone storm strong summer summers sun swan sweet tanner taylor temple thorn tower townsend
tucker turner vale wall walker ward warren water waters well wells west white wild
will winter wise wolf wood woods wren young
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
MIN_ID_LENGTH = 3  # shorter external ids ("7") would wipe ordinary numbers from the text
# Coded fields (labels the writers colour and count by), and names that become pseudonyms.
_NOT_FREE_TEXT = frozenset({
    "status", "decision", "number_format", "kind", "element", "criticality", "cadence",
    "channel", "scope", "quadrant", "strategy", "attitude", "desired_attitude", "barrier",
    "main_barrier", "group", "list_name", "degree",
})  # fmt: skip
_PERSON_FIELDS = {(RegisterRow, "name"), (PersonName, "name")}


KEY_CODE_LENGTH = 6  # base-32 characters of a keyed pseudonym's code (30 bits)


def pseudonyms(
    register: list[RegisterRow] | tuple[RegisterRow, ...],
    key: str | None = None,
    rng: random.Random | None = None,
) -> dict[int, str]:
    """person id → pseudonym: "Role n" numbered per role in a random order (``rng``, by
    default the operating system's randomness), or with ``key`` "Role CODE", stable for that
    key."""
    by_role: dict[str, list[int]] = {}
    for row in sorted(register, key=lambda r: r.person_id):
        by_role.setdefault(row.role or "Person", []).append(row.person_id)
    if key:
        return _keyed(by_role, key)
    shuffle = (rng or secrets.SystemRandom()).shuffle
    out: dict[int, str] = {}
    for role, ids in by_role.items():
        shuffle(ids)
        out.update((ident, f"{role} {n}") for n, ident in enumerate(ids, 1))
    return out


def _keyed(by_role: dict[str, list[int]], key: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for role, ids in by_role.items():
        taken: set[str] = set()
        for ident in ids:
            digest = hmac.new(key.encode(), str(ident).encode(), hashlib.sha256).digest()
            code = base64.b32encode(digest).decode().rstrip("=")
            size = KEY_CODE_LENGTH
            while code[:size] in taken:  # two people of one role on one code: a longer one
                size += 1
            taken.add(code[:size])
            out[ident] = f"{role} {code[:size]}"
    return out


def pseudonym_order(pseudonym: str) -> tuple[int, str]:
    """Sort key that lists "Nurse 2" before "Nurse 10"."""
    return len(pseudonym), pseudonym


@dataclass(frozen=True)
class KnownPerson:
    """A register person as free text may mention them."""

    name: str
    pseudonym: str
    title: str = ""
    email: str = ""
    external_id: str = ""


class NameScrubber:
    """Replaces every written form of the register's people inside free text (see the module
    docstring). Results are remembered per text: labels repeat on every row."""

    def __init__(
        self,
        people: Mapping[str, str] | Iterable[KnownPerson],
        vocabulary: set[str] | None = None,
    ) -> None:
        """``vocabulary`` (the words of every text to be scrubbed, see :func:`words_in`)
        skips people no text mentions: 100,000 people need not all be indexed."""
        if isinstance(people, Mapping):
            people = [KnownPerson(name, pseudonym) for name, pseudonym in people.items()]
        people = list(people)
        # form → the pseudonym it stands for, or AMBIGUOUS when several people share it (a
        # string per form, not a set: 100,000 people make half a million forms)
        self._forms: dict[tuple[str, ...], str] = {}
        self._emails: dict[str, str] = {}
        self._titles = set(HONORIFICS)
        given_names: Counter[str] = Counter()
        words_of: list[tuple[KnownPerson, list[str]]] = []
        for person in people:
            title_words = [w.casefold() for w in _TOKEN.findall(person.title)]
            if len(title_words) == 1:
                self._titles.add(title_words[0])
            words = [w.casefold() for w in _TOKEN.findall(person.name)]
            while len(words) > 1 and (words[0] in self._titles or words[0] in title_words):
                words = words[1:]  # "Dr. Kwame Hall": the title is not part of the name
            if len(words) > 1:
                given_names[words[0]] += 1
            email = person.email.strip().casefold()
            ident = person.external_id.strip().casefold()
            id_words = tuple(_TOKEN.findall(ident)) or (ident,)
            if vocabulary is not None and vocabulary.isdisjoint((*words, email, *id_words)):
                continue
            if words:
                words_of.append((person, words))
            if email:
                _claim(self._emails, email, person.pseudonym)
            if len(ident) >= MIN_ID_LENGTH:
                _claim(self._forms, id_words, person.pseudonym)
        for person, words in words_of:
            for form in _name_forms(words, given_names):
                _claim(self._forms, form, person.pseudonym)
        self._longest = max((len(f) for f in self._forms), default=0) + 1  # + a title
        self._seen: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if not text or not (self._forms or self._emails):
            return text
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self._scrub(text)
        return found

    def _scrub(self, text: str) -> str:
        if self._emails and "@" in text:
            text = _EMAIL.sub(self._email, text)
        tokens = list(_TOKEN.finditer(text))
        out: list[str] = []
        pos = i = 0
        while i < len(tokens):
            found = self._match(text, tokens, i)
            if found is None:
                i += 1
                continue
            size, end, replacement = found
            out += [text[pos : tokens[i].start()], replacement]
            pos, i = end, i + size
        out.append(text[pos:])
        return "".join(out)

    def _email(self, match: re.Match[str]) -> str:
        return self._emails.get(match.group().casefold(), match.group())

    def _match(self, text: str, tokens: list[re.Match[str]], i: int) -> tuple[int, int, str] | None:
        """(tokens used, end offset, replacement) for the longest form starting at token i;
        a title in front ("Dr.") is taken in, a possessive after ("'s") is left as written."""
        first = tokens[i].group().casefold()
        start = i + 1 if first in self._titles and i + 1 < len(tokens) else i
        for begin in dict.fromkeys((start, i)):  # with the title first, then without
            if begin > i and not _GAP_IN_NAME.fullmatch(
                text[tokens[i].end() : tokens[begin].start()]
            ):
                continue
            for size in range(min(self._longest, len(tokens) - begin), 0, -1):
                found = self._form_at(text, tokens, begin, size)
                if found is not None and size == 1 and begin == i and _ordinary(tokens[i]):
                    found = None  # "town hall", "may": a word, not Dr Hall or May Chen
                if found is not None:
                    end, replacement = found
                    return begin - i + size, end, replacement
        return None

    def _form_at(
        self, text: str, tokens: list[re.Match[str]], begin: int, size: int
    ) -> tuple[int, str] | None:
        span = tokens[begin : begin + size]
        for a, b in zip(span, span[1:], strict=False):
            if not _GAP_IN_NAME.fullmatch(text[a.end() : b.start()]):
                return None
        words = [t.group().casefold() for t in span]
        owners = self._forms.get(tuple(words))
        if owners is not None:
            return span[-1].end(), owners
        last = _POSSESSIVE.sub("", words[-1])
        if last != words[-1]:
            owners = self._forms.get((*words[:-1], last))
            if owners is not None:
                return span[-1].start() + len(last), owners
        return None


def _ordinary(token: re.Match[str]) -> bool:
    """A lower-case word that English uses on its own: as one word it is not taken for a
    name ("Hall", "HALL" and "Dr Hall" still are; "quuxley" is too)."""
    word = token.group()
    return word.islower() and _POSSESSIVE.sub("", word) in COMMON_WORDS


def words_in(texts: Iterable[str]) -> set[str]:
    """The casefolded words and email addresses of ``texts``, for ``NameScrubber``."""
    found: set[str] = set()
    for text in texts:
        for word in _TOKEN.findall(text):
            found.add(word.casefold())
            found.add(_POSSESSIVE.sub("", word.casefold()))  # "Quuxley's" mentions Quuxley
        if "@" in text:
            found.update(e.casefold() for e in _EMAIL.findall(text))
    return found


def _claim(forms: dict[Any, str], form: Any, pseudonym: str) -> None:
    if forms.setdefault(form, pseudonym) != pseudonym:
        forms[form] = AMBIGUOUS


def _name_forms(words: list[str], given_names: Counter[str]) -> list[tuple[str, ...]]:
    """The ways free text writes a person called ``words`` (casefolded, title removed)."""
    forms = [tuple(words)]
    if len(words) == 1:
        return forms
    given, surname = words[0], words[-1]
    if len(surname) >= 2:  # "Zebulon Q." gives no surname form: "Q" alone is not a name
        forms += [(surname,), (given[0], surname), (given, surname)]
        forms.append((*(w[0] for w in words[:-1]), surname))  # "Z. Q. Quuxley"
    if given_names[given] == 1 and len(given) >= 3:  # a given name only one person has
        forms.append((given,))
    return forms


def anonymise(
    data: WorkbookData, key: str | None = None, rng: random.Random | None = None
) -> WorkbookData:
    """``data`` with every person named by pseudonym (random per export, or stable for
    ``key``) and small breakdowns suppressed (see the module docstring)."""
    names = pseudonyms(list(data.register), key, rng)
    # everything but the register, which is rebuilt below (a generic walk over 100,000 rows
    # cost seconds; the register's free text is its unit, site, role and flags)
    rest = replace(data, register=())
    texts: set[str] = {t for r in data.register for t in (r.role, r.department, r.site, r.flags)}
    _scrub_texts(rest, lambda t: texts.add(t) or t)
    scrub = NameScrubber(
        (
            KnownPerson(r.name, names[r.person_id], r.title, r.email or "", r.external_id or "")
            for r in data.register
        ),
        words_in(texts),
    )
    scrubbed: WorkbookData = _scrub_texts(rest, scrub)

    def who(person_id: int | None, fallback: str = "Person") -> str:
        return names.get(person_id, fallback) if person_id is not None else fallback

    def person(p: PersonName) -> PersonName:
        return PersonName(p.person_id, who(p.person_id, "Unlisted person"))

    register = [
        RegisterRow(
            r.person_id, names[r.person_id], "", scrub(r.role), r.group, scrub(r.department),
            scrub(r.site), "", r.power, r.interest, r.quadrant, r.attitude, r.desired_attitude,
            r.readiness, r.barrier, scrub(r.flags), "", r.network_influence,
            {k: scrub(v) if isinstance(v, str) else v for k, v in r.fields.items()
             if not BY_KEY[k].personal},
        )  # title, email, external id and other personal fields (phone) dropped
        for r in sorted(
            data.register, key=lambda r: (r.role or "Person", pseudonym_order(names[r.person_id]))
        )
    ]  # fmt: skip  # by pseudonym: the order of the real names (or the ids) would hint at them
    anonymous = replace(
        scrubbed,
        register=register,
        influence=[replace(r, name=who(r.person_id)) for r in scrubbed.influence],
        quadrants=[
            replace(q, leading=tuple(person(p) for p in q.leading)) for q in scrubbed.quadrants
        ],
        risks=[replace(r, people=tuple(person(p) for p in r.people)) for r in scrubbed.risks],
        history=None,  # never anonymised: the writer refuses it (data_history.HISTORY_REFUSED)
    )
    return suppress_small_cells(anonymous)


def _scrub_texts(value: Any, scrub: Callable[[str], str]) -> Any:
    """``value`` with every free-text string inside it (dataclasses, lists, tuples) scrubbed;
    coded labels and the person-name fields (replaced by pseudonyms afterwards) are kept."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list | tuple):
        return type(value)(_scrub_texts(v, scrub) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        changes = {
            f.name: _scrub_texts(getattr(value, f.name), scrub)
            for f in fields(value)
            if f.init and f.name not in _NOT_FREE_TEXT and (kind, f.name) not in _PERSON_FIELDS
        }
        return replace(value, **changes)
    return value


__all__ = ["AMBIGUOUS", "KnownPerson", "NameScrubber", "anonymise", "pseudonyms"]
