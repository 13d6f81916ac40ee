"""Which row is the header, and which column holds which field, for each kind of import.

Four kinds of file can be imported: ``"stakeholders"``, ``"relationships"``, ``"assessments"``
and ``"training"``. For each, :data:`FIELDS` lists the fields (:class:`FieldSpec`: name, label,
required, type, header synonyms) and :data:`REQUIREMENTS` the fields that must be mapped, some
of them as alternatives (a *Name* column, or *First name* and *Last name*).

People are named in relationship, assessment and training files by one of several identifiers.
Each such column maps to a field whose ``identifier`` says which: ``external_id`` ("Source ID",
"Employee ID"), ``email`` ("From email"), ``name`` ("Influencer name") or ``any`` (a bare
"Source" or "Person" column: the value itself decides, see ``validation``).

Headers are compared after Unicode normalisation, case folding, dropping text in brackets
("Influence (1–5)") and dropping everything but letters and digits ("E-mail" = "Email",
"Emp #" = "Emp"). A header that is not a synonym is then read word by word: qualifiers HR
systems add ("Work E-mail", "Job Title Description", "Department Name", "Primary Location")
are set aside and the rest compared again, unless a word says the column is about someone
else ("Manager Email", "Emergency Contact Name"). :func:`explain_map` says, for each column
matched, why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from cmio_desktop.enums import (
    EngagementType,
    LabelledEnum,
    Proficiency,
    TieKind,
)
from cmio_desktop.stakeholder_fields import FIELDS as STAKEHOLDER_FIELDS
from cmio_desktop.stakeholder_fields import StakeholderField

Kind = Literal["stakeholders", "relationships", "assessments", "training", "engagement"]
KINDS: tuple[Kind, ...] = ("stakeholders", "relationships", "assessments", "training", "engagement")

ColumnMapping = dict[str, int]
"""Field name → 0-based column index in the table's rows."""

HEADER_SCAN_ROWS = 20

# Field types, as the validators interpret them.
TEXT = "text"
EMAIL = "email"
SCORE = "score"  # integer 1–5
SENTIMENT = "sentiment"  # integer −2…+2
ENUM = "enum"
FLAG = "flag"  # yes/no
DATE = "date"
PERSON = "person"  # a reference to a stakeholder


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One importable field. ``required`` means it must be mapped on its own; fields that are
    required as one of several alternatives are listed in :data:`REQUIREMENTS` instead."""

    name: str
    label: str
    required: bool
    type: str
    synonyms: tuple[str, ...] = ()
    enum: type[LabelledEnum] | None = None
    identifier: str | None = None  # PERSON fields: external_id, email, name or any


@dataclass(frozen=True, slots=True)
class Requirement:
    """At least one of ``alternatives`` (each a set of fields mapped together) must be mapped."""

    label: str
    alternatives: tuple[tuple[str, ...], ...]

    def satisfied_by(self, mapping: Mapping[str, int]) -> bool:
        return any(all(f in mapping for f in option) for option in self.alternatives)


def _f(
    name: str,
    label: str,
    type_: str,
    *synonyms: str,
    required: bool = False,
    enum: type[LabelledEnum] | None = None,
) -> FieldSpec:
    return FieldSpec(name, label, required, type_, (label, *synonyms), enum)


_ID_SUFFIXES = (
    "ID",
    "Employee ID",
    "Staff ID",
    "External ID",
    "Emp #",
    "Emp ID",
    "Employee number",
    "Employee no",
    "Staff number",
    "Person ID",
    "Stakeholder ID",
)
_EMAIL_SUFFIXES = ("Email", "E-mail", "Email address")
_NAME_SUFFIXES = ("Name", "Full name")


def _person_fields(
    prefix: str, label: str, bases: tuple[str, ...], bare_identifiers: bool = False
) -> tuple[FieldSpec, ...]:
    """Fields naming a person: ``prefix`` (any identifier), ``prefix_id``, ``_email``, ``_name``.

    ``bare_identifiers``: plain "ID", "Email", "Name" headers also name this person.
    """

    def joined(suffixes: tuple[str, ...]) -> tuple[str, ...]:
        out = tuple(f"{base} {suffix}" for base in bases for suffix in suffixes)
        return out + (suffixes if bare_identifiers else ())

    return (
        FieldSpec(prefix, f"{label} (ID, email or name)", False, PERSON, bases, identifier="any"),
        FieldSpec(
            f"{prefix}_id",
            f"{label} ID",
            False,
            PERSON,
            joined(_ID_SUFFIXES),
            identifier="external_id",
        ),
        FieldSpec(
            f"{prefix}_email",
            f"{label} email",
            False,
            PERSON,
            joined(_EMAIL_SUFFIXES),
            identifier="email",
        ),
        FieldSpec(
            f"{prefix}_name",
            f"{label} name",
            False,
            PERSON,
            joined(_NAME_SUFFIXES),
            identifier="name",
        ),
    )


def _person_requirement(prefix: str, label: str) -> Requirement:
    return Requirement(label, tuple((f"{prefix}{s}",) for s in ("", "_id", "_email", "_name")))


def _registry_spec(spec: StakeholderField) -> FieldSpec:
    type_ = {"text": TEXT, "email": EMAIL, "score": SCORE, "enum": ENUM, "flag": FLAG}[spec.kind]
    return _f(spec.import_key, spec.label, type_, *spec.synonyms, enum=spec.enum)


def _stakeholder_fields() -> tuple[FieldSpec, ...]:
    """The registry's fields (:mod:`cmio_desktop.stakeholder_fields`), with First name and
    Last name, which an import joins into the name, right after the name."""
    first_last = (
        _f(
            "first_name",
            "First name",
            TEXT,
            "Given name",
            "Forename",
            "First",
            "Preferred name",
            "Preferred first name",
            "Known as",
        ),
        _f("last_name", "Last name", TEXT, "Surname", "Family name", "Last"),
    )
    specs: list[FieldSpec] = []
    for spec in STAKEHOLDER_FIELDS:
        specs.append(_registry_spec(spec))
        if spec.key == "name":
            specs.extend(first_last)
    return tuple(specs)


_NOTE = _f("note", "Note", TEXT, "Notes", "Comment", "Comments", "Remarks")
_PERSON_BASES = (
    "Person",
    "Stakeholder",
    "Employee",
    "Staff",
    "Staff member",
    "Participant",
    "Respondent",
    "Learner",
    "Trainee",
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "stakeholders": _stakeholder_fields(),
    "relationships": (
        *_person_fields(
            "source",
            "Source",
            ("Source", "From", "Influencer", "Source stakeholder", "From person"),
        ),
        *_person_fields(
            "target",
            "Target",
            ("Target", "To", "Influenced", "Influencee", "Target stakeholder", "To person"),
        ),
        _f("strength", "Strength", SCORE, "Weight", "Tie strength", "Influence strength"),
        _f(
            "kind",
            "Kind",
            ENUM,
            "Type",
            "Relationship",
            "Relationship type",
            "Tie type",
            "Tie kind",
            enum=TieKind,
        ),
        _NOTE,
    ),
    "assessments": (
        *_person_fields("person", "Person", _PERSON_BASES, bare_identifiers=True),
        _f(
            "date",
            "Date",
            DATE,
            "Survey date",
            "Assessed on",
            "Assessment date",
            "Date assessed",
            "Round date",
        ),
        _f("awareness", "Awareness", SCORE, "Awareness score", required=True),
        _f("desire", "Desire", SCORE, "Desire score", required=True),
        _f("knowledge", "Knowledge", SCORE, "Knowledge score", required=True),
        _f("ability", "Ability", SCORE, "Ability score", required=True),
        _f("reinforcement", "Reinforcement", SCORE, "Reinforcement score", required=True),
        _f("assessor", "Assessor", TEXT, "Assessed by", "Surveyor", "Interviewer"),
        _NOTE,
    ),
    "training": (
        *_person_fields("person", "Person", _PERSON_BASES, bare_identifiers=True),
        _f(
            "course",
            "Course",
            TEXT,
            "Course name",
            "Training",
            "Training course",
            "Module",
            "Curriculum",
            required=True,
        ),
        _f(
            "completed",
            "Completed on",
            DATE,
            "Completion date",
            "Completed",
            "Date completed",
            "Completed date",
        ),
        _f(
            "proficiency",
            "Proficiency",
            ENUM,
            "Proficiency level",
            "Level",
            "Competency",
            enum=Proficiency,
        ),
        _NOTE,
    ),
}

FIELDS["engagement"] = (
    *_person_fields("person", "Person", _PERSON_BASES, bare_identifiers=True),
    _f("date", "Date", DATE, "Contact date", "Met on", "Date of contact", "When", required=True),
    _f("type", "Type", ENUM, "Contact type", "Kind", "Interaction", "Channel",
       enum=EngagementType),
    _f("our_side", "Our side", TEXT, "With", "Met by", "Contact by", "Owner", "Who"),
    _f("summary", "Summary", TEXT, "Discussion", "Notes", "Outcome", "What was said"),
    _f("sentiment", "Sentiment", SENTIMENT, "Mood", "Tone", "Sentiment score"),
    _f("next_contact", "Next contact", DATE, "Follow up", "Follow-up", "Next meeting",
       "Follow up on"),
)  # fmt: skip

REQUIREMENTS: dict[str, tuple[Requirement, ...]] = {
    "stakeholders": (
        Requirement("Name (or First name and Last name)", (("name",), ("first_name", "last_name"))),
    ),
    "relationships": (
        _person_requirement("source", "Source (ID, email or name)"),
        _person_requirement("target", "Target (ID, email or name)"),
    ),
    "assessments": (
        _person_requirement("person", "Person (ID, email or name)"),
        *(
            Requirement(spec.label, ((spec.name,),))
            for spec in FIELDS["assessments"]
            if spec.required
        ),
    ),
    "training": (
        _person_requirement("person", "Person (ID, email or name)"),
        Requirement("Course", (("course",),)),
    ),
    "engagement": (
        _person_requirement("person", "Person (ID, email or name)"),
        Requirement("Date", (("date",),)),
    ),
}


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def normalise_header(text: str) -> str:
    """The comparison key of a header: no case, brackets, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text)
    stripped = _BRACKETED.sub(" ", text)
    if stripped.strip():
        text = stripped
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _synonym_index(kind: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS[kind]:
        for synonym in spec.synonyms:
            key = normalise_header(synonym)
            if index.setdefault(key, spec.name) != spec.name:
                raise AssertionError(f"{kind}: header {synonym!r} maps to two fields")
    return index


_SYNONYMS: dict[str, dict[str, str]] = {kind: _synonym_index(kind) for kind in FIELDS}

#: Words HR systems add to a heading without changing what the column holds.
QUALIFIER_WORDS = frozenset(
    {
        "work", "primary", "business", "official", "office", "current", "main", "description",
        "desc", "text", "full", "legal", "employee", "emp", "staff", "person", "personal",
        "home", "worker", "the", "of", "value", "field",
    }
)  # fmt: skip
#: Words that make a heading about somebody else ("Manager Email"): never read word by word.
OTHER_PERSON_WORDS = frozenset(
    {
        "manager", "supervisor", "reports", "reporting", "line", "approver", "emergency",
        "contact", "spouse", "kin", "mentor", "delegate", "sponsor", "partner", "previous",
        "former", "old", "secondary", "alternate", "alternative", "assistant",
    }
)  # fmt: skip
_TRAILING_WORDS = ("name", "names")  # "Department Name" → Department (never "Name" alone)


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """How a heading was matched to a field, in words for the user."""

    field: str
    exact: bool
    reason: str


def _header_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    stripped = _BRACKETED.sub(" ", text)
    if stripped.strip():
        text = stripped
    return re.findall(r"[^\W_]+", text.casefold())


def read_header(header: object, kind: str) -> HeaderMatch | None:
    """The field a heading names and why, or ``None`` (see the module docstring)."""
    _check_kind(kind)
    if not isinstance(header, str) or not header.strip():
        return None
    index = _SYNONYMS[kind]
    name = index.get(normalise_header(header))
    specs = field_specs(kind)
    if name is not None:
        return HeaderMatch(name, True, f"a usual heading for {specs[name].label}")
    found = _header_words(header)
    if not found or OTHER_PERSON_WORDS.intersection(found):
        return None
    kept = [w for w in found if w not in QUALIFIER_WORDS]
    candidates = [kept]
    if len(kept) > 1 and kept[-1] in _TRAILING_WORDS:
        candidates.append(kept[:-1])
    for words in candidates:
        name = index.get("".join(words)) if words else None
        if name is not None:
            ignored = list(found)
            for word in words:
                ignored.remove(word)
            return HeaderMatch(
                name,
                False,
                f"read as {specs[name].label}, without " + " and ".join(f"“{w}”" for w in ignored),
            )
    return None


def _check_kind(kind: str) -> None:
    if kind not in FIELDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")


def field_specs(kind: str) -> dict[str, FieldSpec]:
    """The fields of ``kind`` by name."""
    _check_kind(kind)
    return {spec.name: spec for spec in FIELDS[kind]}


def match_header(header: object, kind: str) -> str | None:
    """The field a header cell names for ``kind``, or ``None``."""
    match = read_header(header, kind)
    return match.field if match is not None else None


def explain_map(headers: Sequence[object], kind: str) -> dict[str, tuple[int, str]]:
    """Field → (column index, why) for the columns :func:`auto_map` matches.

    A heading that is a synonym beats one read word by word; otherwise the first column
    naming a field wins.
    """
    _check_kind(kind)
    matches = [(column, read_header(header, kind)) for column, header in enumerate(headers)]
    found: dict[str, tuple[int, str]] = {}
    for exact in (True, False):
        for column, match in matches:
            if match is not None and match.exact == exact and match.field not in found:
                found[match.field] = (column, match.reason)
    return dict(sorted(found.items(), key=lambda item: item[1][0]))


def auto_map(headers: Sequence[object], kind: str) -> ColumnMapping:
    """Map fields to column indexes by their headings (see :func:`explain_map`)."""
    return {name: column for name, (column, _) in explain_map(headers, kind).items()}


def detect_header_row(
    rows: Sequence[Sequence[object]], kind: str, scan: int = HEADER_SCAN_ROWS
) -> int:
    """Index (into ``rows``) of the header row among the first ``scan`` rows.

    Rows are ranked by how many fields their cells name; ties go to a row with data beneath
    it, then to the row with fewer non-text cells (headers are text, data often is not), then
    to the earlier row. If no row names any field the first row is taken, and the user is
    expected to check it.
    """
    _check_kind(kind)
    best, best_key = 0, (0, False, 0)
    for i, row in enumerate(rows[:scan]):
        matched = len(auto_map(row, kind))
        if not matched:
            continue
        non_text = sum(1 for v in row if v is not None and not isinstance(v, str))
        key = (matched, i + 1 < len(rows), -non_text)
        if key > best_key:
            best, best_key = i, key
    return best


CUSTOM_PREFIX = "Custom: "
"""A stakeholder column headed "Custom: Badge colour" holds the custom field "Badge colour"."""
READ_ONLY_MARK = "(read-only)"
"""A header ending so ("Network influence (read-only)") is exported for reading only: an
import ignores it, and says so."""
_CUSTOM = re.compile(r"^\s*custom\s*[:：]\s*(\S.*?)\s*$", re.IGNORECASE)


def custom_columns(headers: Sequence[object], kind: str = "stakeholders") -> dict[int, str]:
    """Column index → custom field name, for the "Custom: NAME" headers (stakeholders only).

    The first column naming a custom field wins; a later one with the same name is not used.
    """
    if kind != "stakeholders":
        return {}
    found: dict[int, str] = {}
    for column, header in enumerate(headers):
        if isinstance(header, str):
            match = _CUSTOM.match(unicodedata.normalize("NFKC", header))
            if match and match.group(1) not in found.values():
                found[column] = match.group(1)
    return found


def is_read_only_header(header: object) -> bool:
    return isinstance(header, str) and header.strip().casefold().endswith(READ_ONLY_MARK)


def missing_required(mapping: Mapping[str, int], kind: str) -> list[str]:
    """Labels of the requirements ``mapping`` does not meet (empty when it can be validated)."""
    _check_kind(kind)
    return [req.label for req in REQUIREMENTS[kind] if not req.satisfied_by(mapping)]


def column_label(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def header_names(headers: Sequence[object], width: int | None = None) -> list[str]:
    """What to call each column in messages: its header text, or "Column C" when blank."""
    width = len(headers) if width is None else max(width, len(headers))
    names = []
    for i in range(width):
        value = headers[i] if i < len(headers) else None
        text = "" if value is None else str(value).strip()
        names.append(text or f"Column {column_label(i)}")
    return names
