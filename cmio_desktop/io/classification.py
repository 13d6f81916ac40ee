"""Infer a person's role and stakeholder group from an HR job title (and department).

HR systems export job titles ("Charge Nurse", "Consultant Anaesthetist", "Epic Analyst"), not
the register's roles and groups. :func:`infer_role` reads the title with the synonym table
below (UK and US spellings; case, accents and punctuation ignored: "R.N." = "RN"), falling
back to a few unmistakable department names; :func:`infer_group` derives the group from the
role and the title's leadership words. Each answer carries the reason shown to the user
("from the title “Charge Nurse”"). Nothing here guesses beyond the table: a title it does not
know gives ``None``, and the importer stores the person as unclassified.

When a title holds several known words the strongest rule wins (an override phrase such as
"executive assistant", then executive words, then professions, then weak words such as
"manager" or "consultant"); among equally strong rules the longer phrase wins ("nurse
practitioner" over "nurse"), then the role listed first in :data:`_RANK`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache

from cmio_desktop.enums import Role, StakeholderGroup

OVERRIDE, DECISIVE, PROFESSION, WEAK = 4, 3, 2, 1

# fmt: off
#: Role → the words and phrases of a job title that name it, by strength.
ROLE_SYNONYMS: dict[Role, dict[int, tuple[str, ...]]] = {
    Role.EXECUTIVE: {
        DECISIVE: (
            "chief",
            "ceo", "cfo", "coo", "cmo", "cno", "cio", "cmio", "cnio", "cto", "cco", "cxo",
            "cpo", "cso", "cdo", "cqo",
            "vp", "svp", "evp", "avp", "vice president", "president",
            "executive director", "managing director", "director general",
            "chief executive", "board member", "non executive director", "trustee",
        ),
        WEAK: ("executive",),
    },
    Role.APP: {
        PROFESSION: (
            "np", "nurse practitioner", "advanced nurse practitioner", "anp", "fnp", "aprn",
            "pa", "pa c", "physician assistant", "physician associate",
            "crna", "nurse anesthetist", "nurse anaesthetist", "cnm", "nurse midwife",
            "certified nurse midwife", "clinical nurse specialist", "cns",
            "advanced practice provider", "advanced practitioner", "app",
            "advanced clinical practitioner", "acp",
        ),
    },
    Role.PHYSICIAN: {
        DECISIVE: ("chief resident", "chief registrar"),
        PROFESSION: (
            "md", "mbbs", "mbchb", "physician", "doctor", "dr", "hospitalist", "surgeon",
            "anesthetist", "anaesthetist", "resident", "intern", "attending", "intensivist",
            "internist", "pediatrician", "paediatrician", "geriatrician", "obstetrician",
            "psychiatrist", "neonatologist", "gp", "general practitioner",
            "medical director", "medical officer", "house officer", "foundation doctor",
            "specialty registrar", "specialist registrar", "medical registrar",
            "surgical registrar", "spr", "fy1", "fy2", "sho", "staff grade", "locum",
            "emergency physician", "medical staff",
        ),
        WEAK: (
            "consultant", "fellow", "surgery", "medicine", "anaesthesia", "anesthesia",
            "anaesthetics", "cardiology", "radiology", "pathology", "oncology", "paediatrics",
            "pediatrics", "psychiatry", "obstetrics", "neurology", "orthopaedics",
            "orthopedics", "urology", "dermatology", "gastroenterology",
        ),
    },
    Role.PHARMACIST: {
        PROFESSION: ("pharmacist", "pharmd", "pharmacy", "rph", "pharmaceutical"),
    },
    Role.NURSE: {
        PROFESSION: (
            "rn", "nurse", "nursing", "registered nurse", "charge nurse", "staff nurse",
            "lpn", "lvn", "licensed practical nurse", "licensed vocational nurse", "en",
            "matron", "sister", "ward sister", "midwife", "midwifery", "health visitor",
            "cna", "nurse aide", "nursing assistant", "healthcare assistant",
            "health care assistant", "hca", "care assistant", "patient care technician",
            "patient care assistant", "pct", "bsn", "msn", "dnp",
        ),
    },
    Role.ALLIED_HEALTH: {
        PROFESSION: (
            "therapist", "physiotherapist", "physio", "physical therapist",
            "occupational therapist", "respiratory therapist", "speech therapist",
            "speech and language therapist", "radiographer", "sonographer", "dietitian",
            "dietician", "nutritionist", "social worker", "psychologist", "audiologist",
            "optometrist", "orthoptist", "podiatrist", "chiropodist", "paramedic", "emt",
            "phlebotomist", "technologist", "medical technologist", "scientist",
            "biomedical scientist", "laboratory", "lab", "perfusionist", "physicist",
            "counsellor", "counselor", "chaplain", "medical assistant", "orthotist",
            "prosthetist", "dental", "dentist", "hygienist", "case worker",
        ),
        WEAK: ("technician", "tech", "assistant practitioner"),
    },
    Role.IT: {
        OVERRIDE: (
            "system administrator", "systems administrator", "database administrator",
            "network administrator",
        ),
        PROFESSION: (
            "it", "ict", "analyst", "engineer", "informatics", "informaticist",
            "informatician", "developer", "programmer", "software", "architect", "devops",
            "helpdesk", "help desk", "service desk", "desktop support", "network",
            "information technology", "information services", "data scientist", "dba",
            "application", "applications", "ehr", "emr", "epic", "cerner", "trainer",
            "integration", "interface", "cyber", "security analyst", "digital",
        ),
    },
    Role.ADMINISTRATOR: {
        OVERRIDE: (
            "executive assistant", "personal assistant", "pa to", "executive secretary",
            "medical secretary", "administrative assistant", "admin assistant",
        ),
        PROFESSION: (
            "clerk", "ward clerk", "unit clerk", "receptionist", "secretary", "scheduler",
            "registrar", "admissions", "registration", "billing", "coder", "clinical coder",
            "administrator", "administrative", "administration", "admin", "officer",
            "medical records", "health records", "patient access", "payroll", "finance",
            "accountant", "human resources", "hr", "recruiter", "porter", "housekeeper",
            "unit secretary", "ward administrator", "booking", "bookings",
        ),
        WEAK: (
            "director", "manager", "coordinator", "co ordinator", "supervisor", "head",
            "lead", "planner", "assistant", "representative", "specialist", "associate",
        ),
    },
}

# fmt: on

#: Among equally strong matches of the same length, the role listed first wins.
_RANK = (
    Role.EXECUTIVE,
    Role.APP,
    Role.PHYSICIAN,
    Role.PHARMACIST,
    Role.NURSE,
    Role.ALLIED_HEALTH,
    Role.IT,
    Role.ADMINISTRATOR,
)

#: Words ending like a specialist physician's title ("cardiologist", "haematologist") that
#: are not physicians.
_OLOGIST_EXCEPTIONS = {
    "technologist": Role.ALLIED_HEALTH,
    "psychologist": Role.ALLIED_HEALTH,
    "audiologist": Role.ALLIED_HEALTH,
    "podiatrist": Role.ALLIED_HEALTH,
    "biologist": Role.ALLIED_HEALTH,
    "sociologist": Role.ALLIED_HEALTH,
    "phlebologist": Role.PHYSICIAN,
}
_PHYSICIAN_SUFFIXES = ("ologist", "iatrist", "iatrician")

# fmt: off
#: Department names that say the role when the title does not.
DEPARTMENT_SYNONYMS: dict[Role, tuple[str, ...]] = {
    Role.NURSE: ("nursing", "midwifery"),
    Role.PHARMACIST: ("pharmacy",),
    Role.IT: (
        "it", "ict", "information technology", "information services", "informatics",
        "clinical informatics", "digital", "is",
    ),
    Role.ADMINISTRATOR: (
        "finance", "human resources", "hr", "payroll", "estates", "facilities",
        "administration", "patient access", "registration", "medical records",
        "health information management", "him", "procurement",
    ),
}

#: Title words of people who lead clinicians: their group is clinical leader.
LEADER_WORDS = (
    "chair", "chairman", "chairwoman", "chairperson", "medical director", "nurse manager",
    "nursing manager", "ward manager", "unit manager", "director", "head", "head of", "lead",
    "clinical lead", "lead nurse", "matron", "manager", "clinical director", "division chief",
    "department chief", "service chief", "section chief", "supervisor",
    "associate medical director", "deputy director", "programme director", "program director",
)

# fmt: on

_GROUP_OF_ROLE = {
    Role.EXECUTIVE: StakeholderGroup.EXECUTIVE,
    Role.IT: StakeholderGroup.IT,
    Role.ADMINISTRATOR: StakeholderGroup.SUPPORT_STAFF,
    Role.PATIENT_FAMILY: StakeholderGroup.PATIENT,
}
CLINICAL_ROLES = frozenset(
    {Role.PHYSICIAN, Role.NURSE, Role.PHARMACIST, Role.APP, Role.ALLIED_HEALTH}
)


@dataclass(frozen=True, slots=True)
class Inferred:
    """A role or group read from other columns, with the reason shown to the user."""

    value: Role | StakeholderGroup
    reason: str  # e.g. "from the title “Charge Nurse”"


def words(text: str | None) -> tuple[str, ...]:
    """The comparison words of a title: no accents, case or punctuation ("R.N." → "rn")."""
    if not text:
        return ()
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ")
    plain = re.sub(r"(?<=\w)[.'’](?=\w)", "", plain)  # R.N. → rn, Children's → childrens
    return tuple(re.findall(r"[^\W_]+", plain))


def _phrases(entries: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(words(entry) for entry in entries)


# (phrase words, role, strength), longest phrases first
_ROLE_RULES: list[tuple[tuple[str, ...], Role, int]] = sorted(
    (
        (phrase, role, strength)
        for role, levels in ROLE_SYNONYMS.items()
        for strength, entries in levels.items()
        for phrase in _phrases(entries)
    ),
    key=lambda rule: -len(rule[0]),
)
_DEPARTMENT_RULES = [
    (phrase, role) for role, entries in DEPARTMENT_SYNONYMS.items() for phrase in _phrases(entries)
]
_LEADER_PHRASES = _phrases(LEADER_WORDS)


def _contains(haystack: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(haystack[i : i + n] == phrase for i in range(len(haystack) - n + 1))


_RULES_BY_FIRST_WORD: dict[str, list[tuple[tuple[str, ...], Role, int]]] = {}
for _rule in _ROLE_RULES:
    _RULES_BY_FIRST_WORD.setdefault(_rule[0][0], []).append(_rule)


@lru_cache(maxsize=8192)  # rosters repeat their titles: thousands of nurses, one lookup
def role_from_title(title: str | None) -> Role | None:
    """The role a job title names by the synonym table, or ``None``."""
    found = words(title)
    if not found:
        return None
    best: tuple[int, int, int] | None = None
    best_role: Role | None = None
    candidates = [
        (phrase, role, strength)
        for i, word in enumerate(found)
        for phrase, role, strength in _RULES_BY_FIRST_WORD.get(word, ())
        if found[i : i + len(phrase)] == phrase
    ]
    candidates += [((w,), r, PROFESSION) for w in found if (r := _suffix_role(w)) is not None]
    for phrase, role, strength in candidates:
        if role is None:
            continue
        key = (strength, len(phrase), -_RANK.index(role))
        if best is None or key > best:
            best, best_role = key, role
    return best_role


def _suffix_role(word: str) -> Role | None:
    if word in _OLOGIST_EXCEPTIONS:
        return _OLOGIST_EXCEPTIONS[word]
    if word.endswith(_PHYSICIAN_SUFFIXES):
        return Role.PHYSICIAN
    return None


@lru_cache(maxsize=8192)
def role_from_department(department: str | None) -> Role | None:
    """The role an unmistakable department name implies ("Pharmacy"), or ``None``."""
    found = words(department)
    for phrase, role in _DEPARTMENT_RULES:
        if found == phrase:
            return role
    return None


@lru_cache(maxsize=8192)
def infer_role(title: str | None, department: str | None = None) -> Inferred | None:
    """The role of a person with this title (else department), with its reason; or ``None``."""
    role = role_from_title(title)
    if role is not None:
        return Inferred(role, f"from the title “{title}”")
    role = role_from_department(department)
    if role is not None:
        return Inferred(role, f"from the department “{department}”")
    return None


@lru_cache(maxsize=8192)
def infer_group(role: Role | None, title: str | None) -> Inferred | None:
    """The stakeholder group of a person with this role and title, or ``None``.

    Executives, IT and administrators take their role's group; clinicians whose title has a
    leadership word ("Nurse Manager", "Chair of Surgery") are clinical leaders, the others
    frontline clinicians.
    """
    if role is None or role is Role.UNCLASSIFIED:
        return None
    if role in _GROUP_OF_ROLE:
        return Inferred(_GROUP_OF_ROLE[role], f"from the role {role.label}")
    if role not in CLINICAL_ROLES:
        return None
    found = words(title)
    if any(_contains(found, phrase) for phrase in _LEADER_PHRASES):
        return Inferred(StakeholderGroup.CLINICAL_LEADER, f"from the title “{title}”")
    return Inferred(StakeholderGroup.FRONTLINE_CLINICIAN, f"from the role {role.label}")


@dataclass(frozen=True, slots=True)
class Classification:
    """A row's role and group, each with how it was decided ("" = read from the file as given;
    otherwise the inference, or why there is none)."""

    role: Role | None
    group: StakeholderGroup | None
    role_reason: str = ""
    group_reason: str = ""


@lru_cache(maxsize=8192)
def classify(
    role_text: str | None,
    group_text: str | None,
    title: str | None,
    department: str | None = None,
) -> Classification:
    """Role and group for one row: from their cells when those name a role or group, else
    inferred (a Role cell holding a job title such as "Staff Nurse" is read as one), else
    ``None`` with the reason. Never an error: a role nobody can read means unclassified."""
    role, role_reason = _classify_role(role_text, title, department)
    group, group_reason = None, ""
    if group_text is not None:
        with suppress(ValueError):  # not a group: inferred below instead
            group = StakeholderGroup.from_text(group_text)  # type: ignore[assignment]
    if group is None:
        inferred = infer_group(role, title)
        if inferred is not None:
            group, group_reason = inferred.value, inferred.reason  # type: ignore[assignment]
        elif group_text is not None:
            group_reason = f"“{group_text}” is not a group"
        else:
            group_reason = "no group in the file, and no role to infer one from"
    return Classification(role, group, role_reason, group_reason)


def _classify_role(
    text: str | None, title: str | None, department: str | None
) -> tuple[Role | None, str]:
    if text is not None:
        try:
            return Role.from_text(text), ""  # type: ignore[return-value]
        except ValueError:
            guessed = role_from_title(text)
            if guessed is not None:
                return guessed, f"from the Role cell “{text}”"
    inferred = infer_role(title, department)
    if inferred is not None:
        return inferred.value, inferred.reason  # type: ignore[return-value]
    if text is not None:
        return None, f"“{text}” is not a role"
    return None, "no role in the file" + (f" and none known for “{title}”" if title else "")


def needs_classification(role: object, group: object) -> bool:
    """True when a person's role or group is still unclassified."""
    return role == Role.UNCLASSIFIED or group == StakeholderGroup.UNCLASSIFIED
