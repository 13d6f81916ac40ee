"""Domain vocabularies. Stored as their string ``value`` (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

from enum import Enum, StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a human label."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def from_text(cls, text: str) -> LabelledEnum:
        """Parse a value, label or alias, case- and punctuation-insensitively; ValueError if
        unknown. Imports call this for every cell, so the lookup table is built once."""
        lookup = _LOOKUPS.get(cls)
        if lookup is None:
            lookup = _LOOKUPS[cls] = _build_lookup(cls)
        member = lookup.get(_normalise(text))
        if member is None:
            choices = ", ".join(m.label for m in cls)
            raise ValueError(f"'{text}' is not one of: {choices}")
        return member


_LOOKUPS: dict[type, dict[str, LabelledEnum]] = {}


def _build_lookup(cls: type[LabelledEnum]) -> dict[str, LabelledEnum]:
    lookup: dict[str, LabelledEnum] = {}
    for alias, member in _ALIASES.items():
        if isinstance(member, cls):
            lookup.setdefault(_normalise(alias), member)
    for member in cls:  # values and labels win over aliases
        lookup[_normalise(member.label)] = member
        lookup[_normalise(member.value)] = member
    return lookup


def _normalise(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class Role(LabelledEnum):
    PHYSICIAN = "physician"
    NURSE = "nurse"
    PHARMACIST = "pharmacist"
    APP = "app"
    ALLIED_HEALTH = "allied_health"
    IT = "it"
    EXECUTIVE = "executive"
    ADMINISTRATOR = "administrator"
    PATIENT_FAMILY = "patient_family"
    UNCLASSIFIED = "unclassified"  # imported without a role that could be read or inferred


class StakeholderGroup(LabelledEnum):
    CLINICAL_LEADER = "clinical_leader"
    FRONTLINE_CLINICIAN = "frontline_clinician"
    EXECUTIVE = "executive"
    IT = "it"
    PATIENT = "patient"
    SUPPORT_STAFF = "support_staff"
    EXTERNAL = "external"
    UNCLASSIFIED = "unclassified"  # imported without a group that could be read or inferred


class Attitude(LabelledEnum):
    """SEAM scale, in order: the declaration order is the scale."""

    UNAWARE = "unaware"
    RESISTANT = "resistant"
    NEUTRAL = "neutral"
    SUPPORTIVE = "supportive"
    LEADING = "leading"

    @property
    def rank(self) -> int:
        return list(Attitude).index(self)


class AdkarElement(LabelledEnum):
    """ADKAR elements in model order A→D→K→A→R."""

    AWARENESS = "awareness"
    DESIRE = "desire"
    KNOWLEDGE = "knowledge"
    ABILITY = "ability"
    REINFORCEMENT = "reinforcement"


class TieKind(LabelledEnum):
    REPORTS_TO = "reports_to"
    PEER = "peer"
    INFORMAL_ADVISOR = "informal_advisor"
    COMMITTEE = "committee"
    MENTOR = "mentor"
    OTHER = "other"


class ActivityType(LabelledEnum):
    ONE_TO_ONE = "one_to_one"
    SPONSOR_ONE_TO_ONE = "sponsor_one_to_one"
    BRIEFING = "briefing"
    TOWN_HALL = "town_hall"
    DEMO = "demo"
    TRAINING_SESSION = "training_session"
    PRACTICE_SESSION = "practice_session"
    AT_THE_ELBOW = "at_the_elbow"
    SUPER_USER_HUDDLE = "super_user_huddle"
    NEWSLETTER = "newsletter"
    GOVERNANCE_MEETING = "governance_meeting"
    RECOGNITION = "recognition"
    FEEDBACK_SESSION = "feedback_session"


class EngagementType(LabelledEnum):
    """How we were in touch with a person (an engagement log entry)."""

    ONE_TO_ONE = "one_to_one"
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    SITE_VISIT = "site_visit"


class Shift(LabelledEnum):
    """When a super user is on the floor to help colleagues."""

    DAY = "day"
    EVENING = "evening"
    NIGHT = "night"
    WEEKEND = "weekend"
    ALL = "all"


class ActivityStatus(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Cadence(LabelledEnum):
    ONCE = "once"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class RiskStatus(LabelledEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"


class RequestStatus(LabelledEnum):
    NEW = "new"
    TRIAGED = "triaged"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DECLINED = "declined"


class Priority(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class Criticality(LabelledEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class Proficiency(LabelledEnum):
    NOT_ASSESSED = "not_assessed"
    BASIC = "basic"
    PROFICIENT = "proficient"
    EXPERT = "expert"


_LABELS: dict[Enum, str] = {
    Role.APP: "APP",
    Role.IT: "IT",
    Role.PATIENT_FAMILY: "Patient/family",
    StakeholderGroup.IT: "IT",
    TieKind.REPORTS_TO: "Reports to",
    ActivityType.ONE_TO_ONE: "1:1",
    ActivityType.SPONSOR_ONE_TO_ONE: "Sponsor 1:1",
    ActivityType.AT_THE_ELBOW: "At-the-elbow support",
    ActivityType.SUPER_USER_HUDDLE: "Super-user huddle",
    EngagementType.ONE_TO_ONE: "1:1",
    Shift.ALL: "All shifts",
}

_ALIASES: dict[str, Enum] = {
    "doctor": Role.PHYSICIAN,
    "md": Role.PHYSICIAN,
    "rn": Role.NURSE,
    "advanced practice provider": Role.APP,
    "np": Role.APP,
    "pa": Role.APP,
    "allied": Role.ALLIED_HEALTH,
    "admin": Role.ADMINISTRATOR,
    "patient": Role.PATIENT_FAMILY,
    "family": Role.PATIENT_FAMILY,
    "exec": StakeholderGroup.EXECUTIVE,
    "frontline": StakeholderGroup.FRONTLINE_CLINICIAN,
    "clinical lead": StakeholderGroup.CLINICAL_LEADER,
    "support": StakeholderGroup.SUPPORT_STAFF,
    "opposed": Attitude.RESISTANT,
    "against": Attitude.RESISTANT,
    "resister": Attitude.RESISTANT,
    "champion": Attitude.LEADING,
    "advocate": Attitude.LEADING,
    "supporter": Attitude.SUPPORTIVE,
    "1:1": ActivityType.ONE_TO_ONE,
    "one to one": ActivityType.ONE_TO_ONE,
    "training": ActivityType.TRAINING_SESSION,
}
