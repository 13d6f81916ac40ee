"""The stakeholder field registry: every stored field of a person, declared once.

Each :class:`StakeholderField` says what the field is (key, label, type, max length), how an
import finds and treats it (header synonyms, what a blank cell does), and where it is shown:
the register table (:class:`RegisterColumn`), the workbook's register sheet
(:class:`WorkbookColumn`) and the round-trip register export (every field, in the order of
:data:`FIELDS`). The register model, the importer's header matching and validation, the edit
validators, the round-trip export and the workbook's people sheet are all built from here, by
field name.

Adding a stored field (three files):

1. ``models/stakeholder.py``: the column;
2. a migration under ``store/migrations/versions/`` that adds it;
3. here: one ``StakeholderField(...)`` entry in :data:`FIELDS`, with a ``register=`` and/or
   ``workbook=`` column if it should be shown (``after=`` names the column it sits behind).

It is then exported and imported back, validated on edit and import, shown where declared, and
checked by ``tests/unit/test_stakeholder_fields.py`` (the registry agrees with the ORM, and
every field reaches the register, the import mapping, the export and the workbook).

No Qt and no SQLAlchemy here, so ``io``, ``services`` and ``ui`` may all import it. Computed
columns (quadrant, readiness, barrier point, flags, network influence, last and next contact
from the engagement log) are not stored fields: their views declare them (the register's in
``ui/stakeholders/register_table.py``; the round-trip export writes them "(read-only)").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cmio_desktop.enums import Attitude, LabelledEnum, Role, StakeholderGroup

Kind = Literal["text", "email", "score", "enum", "flag"]
Blank = Literal["required", "text", "null", "keep"]
"""What a blank import cell does: ``required`` is refused; ``text`` clears to ""; ``null``
clears to NULL; ``keep`` leaves the stored value (the cleared-ones also keep with the import's
"blank keeps" option)."""
Sort = Literal["text", "number", "order"]
"""Register sort: by the shown text without case, by the number, or by the list's order."""


@dataclass(frozen=True, slots=True)
class RegisterColumn:
    """The field's column in the register table."""

    width: int
    tooltip: str
    sort: Sort = "text"
    searchable: bool = False  # part of the register's search text
    after: str | None = None  # shown by default right after this column (a key)


@dataclass(frozen=True, slots=True)
class WorkbookColumn:
    """The field's column on the workbook's "Stakeholder register" sheet."""

    width: float
    printed: bool = True  # within the sheet's print area (printed columns come first)
    after: str | None = None  # placed right after this column (a key)


@dataclass(frozen=True, slots=True)
class StakeholderField:
    key: str  # attribute of ``models.Stakeholder``
    label: str  # heading: register, workbook, export and import
    kind: Kind
    export_width: float  # characters, in the round-trip export
    noun: str = ""  # in sentences ("power (rated)"); default: the label in lower case
    max_length: int | None = None  # equals the ORM column's length (a test checks)
    enum: type[LabelledEnum] | None = None
    column: str = ""  # the table's column name when it differs from ``key``
    synonyms: tuple[str, ...] = ()  # import headers besides the label
    import_name: str = ""  # the import mapping's name when it differs from ``key``
    blank: Blank = "keep"
    nullable: bool = False  # stored as NULL when blank (unique-ish keys)
    default: Any = None  # a new person's value
    personal: bool = False  # identifies the person: left out of anonymised exports
    register: RegisterColumn | None = None
    workbook: WorkbookColumn | None = None

    @property
    def db_column(self) -> str:
        return self.column or self.key

    @property
    def import_key(self) -> str:
        return self.import_name or self.key

    @property
    def words(self) -> str:
        return self.noun or self.label.lower()

    @property
    def choices(self) -> tuple[str, ...]:
        """The values a cell may hold, as written in the export ("" = free)."""
        if self.enum is not None:
            return tuple(m.label for m in self.enum)
        return ("Yes", "No") if self.kind == "flag" else ()

    def display(self, value: Any) -> Any:
        """The stored value as shown to people: list labels, Yes/No, "" for nothing."""
        if value is None:
            return "" if self.kind in ("text", "email", "enum") else value
        if self.enum is not None:
            text = str(getattr(value, "value", value))
            return enum_labels(self.enum).get(text, text)
        if self.kind == "flag":
            return "Yes" if value else "No"
        return value

    def export_value(self, value: Any) -> Any:
        """The cell written to the round-trip export (blank text is an empty cell)."""
        shown = self.display(value)
        return None if shown == "" else shown


def _f(key: str, label: str, kind: Kind, width: float, **spec: Any) -> StakeholderField:
    return StakeholderField(key, label, kind, width, **spec)


FIELDS: tuple[StakeholderField, ...] = (
    _f(
        "external_id", "External ID", "text", 14, noun="external ID", max_length=100,
        synonyms=(
            "ID", "Employee ID", "Staff ID", "Emp #", "Emp ID", "Employee number",
            "Employee no", "Staff number", "Person ID", "Stakeholder ID", "Payroll number",
            "Payroll ID", "Person number", "Assignment number", "Badge number", "Badge ID",
            "Employee code",
        ),
        nullable=True, personal=True,
        register=RegisterColumn(100, "Round-trip key for imports"),
        workbook=WorkbookColumn(13, printed=False),
    ),
    _f(
        "name", "Name", "text", 26, max_length=200, blank="required", personal=True,
        synonyms=(
            "Full name", "Stakeholder", "Stakeholder name", "Person", "Employee name",
            "Staff name", "Display name",
        ),
        register=RegisterColumn(170, "Name of the person or body", searchable=True),
        workbook=WorkbookColumn(24),
    ),
    _f(
        "title", "Title", "text", 30, max_length=400, blank="text", default="", personal=True,
        synonyms=(
            "Job title", "Position", "Job", "Post", "Position title", "Job profile",
            "Designation",
        ),
        register=RegisterColumn(165, "Job title", searchable=True),
        workbook=WorkbookColumn(28),
    ),
    _f(
        "role", "Role", "enum", 15, enum=Role,
        synonyms=("Professional role", "Discipline", "Profession"),
        register=RegisterColumn(100, "Professional role"),
        workbook=WorkbookColumn(13),
    ),
    _f(
        "group", "Group", "enum", 19, enum=StakeholderGroup, column="stakeholder_group",
        synonyms=("Stakeholder group", "Category", "Stakeholder category", "Segment"),
        register=RegisterColumn(140, "Stakeholder group"),
        workbook=WorkbookColumn(18, printed=False),
    ),
    _f(
        "department", "Department", "text", 24, max_length=200, blank="text", default="",
        synonyms=(
            "Dept", "Unit", "Ward", "Department/Unit", "Dept/Unit", "Clinical unit", "Org unit",
            "Organisation unit", "Organization unit", "Organisational unit",
            "Organizational unit", "Cost centre", "Cost center",
        ),
        register=RegisterColumn(135, "Department or unit", searchable=True),
        workbook=WorkbookColumn(21),
    ),
    _f(
        "site", "Site", "text", 20, max_length=200, blank="text", default="",
        synonyms=("Location", "Campus", "Facility", "Hospital"),
        register=RegisterColumn(170, "Site"),
        workbook=WorkbookColumn(15, printed=False),
    ),
    _f(
        "email", "Email", "email", 32, max_length=320, blank="null", nullable=True,
        personal=True,
        synonyms=("E-mail", "Email address", "E-mail address", "Mail"),
        register=RegisterColumn(230, "Email address", searchable=True),
        workbook=WorkbookColumn(30, printed=False),
    ),
    _f(
        "phone", "Phone", "text", 17, max_length=60, blank="text", default="", personal=True,
        synonyms=(
            "Telephone", "Mobile", "Phone number", "Tel", "Cell", "Mobile phone",
        ),
        register=RegisterColumn(120, "Phone number", after="email"),
        workbook=WorkbookColumn(16, printed=False, after="email"),
    ),
    _f(
        "power", "Power (rated)", "score", 10, default=3,
        synonyms=(
            "Influence", "Power", "Power/Influence", "Influence/Power", "Influence score",
            "Power score",
        ),
        register=RegisterColumn(
            84, "Power (rated), 1–5: the Mendelow power score typed in", sort="number"
        ),
        workbook=WorkbookColumn(9),
    ),
    _f(
        "interest", "Interest", "score", 10, default=3,
        synonyms=("Interest score", "Interest level"),
        register=RegisterColumn(60, "Interest, 1–5", sort="number"),
        workbook=WorkbookColumn(9),
    ),
    _f(
        "attitude", "Attitude", "enum", 12, enum=Attitude, default=Attitude.NEUTRAL,
        synonyms=("Support", "Stance", "Current attitude", "Current stance"),
        register=RegisterColumn(
            100, "Current attitude (SEAM scale)", sort="order", after="name"
        ),
        workbook=WorkbookColumn(11),
    ),
    _f(
        "desired_attitude", "Desired attitude", "enum", 16, enum=Attitude,
        default=Attitude.SUPPORTIVE,
        synonyms=("Target attitude", "Desired stance", "Target stance", "Desired"),
        workbook=WorkbookColumn(11, printed=False),
    ),
    _f(
        "physician_champion", "Physician champion", "flag", 11, import_name="champion",
        default=False, synonyms=("Champion", "Clinical champion"),
    ),
    _f("super_user", "Super user", "flag", 11, default=False, synonyms=("Superuser",)),
    _f(
        "notes", "Notes", "text", 48, max_length=4000, blank="text", default="",
        synonyms=("Note", "Comments", "Comment", "Remarks"),
    ),
    _f(
        "is_body", "Committee", "flag", 11, default=False,
        synonyms=("Body", "Body/committee", "Committee or body"),
    ),
    _f("salience_power", "Salience: power", "flag", 11, noun="salience (power)", default=False),
    _f(
        "salience_legitimacy", "Salience: legitimacy", "flag", 12,
        noun="salience (legitimacy)", default=False,
    ),
    _f(
        "salience_urgency", "Salience: urgency", "flag", 11, noun="salience (urgency)",
        default=False,
    ),
)  # fmt: skip

BY_KEY: Mapping[str, StakeholderField] = {f.key: f for f in FIELDS}
BY_IMPORT_KEY: Mapping[str, StakeholderField] = {f.import_key: f for f in FIELDS}
REGISTER_FIELDS = tuple(f for f in FIELDS if f.register is not None)
WORKBOOK_FIELDS = tuple(f for f in FIELDS if f.workbook is not None)

_ENUM_LABELS: dict[type[LabelledEnum], dict[str, str]] = {}


def enum_labels(enum: type[LabelledEnum]) -> dict[str, str]:
    """Stored value → label, for a list field (made once per list)."""
    labels = _ENUM_LABELS.get(enum)
    if labels is None:
        labels = _ENUM_LABELS[enum] = {m.value: m.label for m in enum}
    return labels


def field(key: str) -> StakeholderField:
    """The field ``key`` (KeyError names it when there is no such field)."""
    return BY_KEY[key]
