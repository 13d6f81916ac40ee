"""role and stakeholder group gain "unclassified"

People imported from an HR roster whose role or group cannot be read or inferred from their
job title are stored as "unclassified" (never rejected), so the four columns that hold a role
or a group get the new value in their CHECK constraint. SQLite cannot alter a constraint:
batch mode recreates each table, copying its rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 21:30:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ROLES = (
    "physician",
    "nurse",
    "pharmacist",
    "app",
    "allied_health",
    "it",
    "executive",
    "administrator",
    "patient_family",
)
_GROUPS = (
    "clinical_leader",
    "frontline_clinician",
    "executive",
    "it",
    "patient",
    "support_staff",
    "external",
)
# (table, column, constraint name, old values, nullable)
_COLUMNS = (
    ("stakeholder", "role", "role", _ROLES, False),
    ("stakeholder", "stakeholder_group", "stakeholder_group", _GROUPS, False),
    ("training_course", "role", "course_role", _ROLES, True),
    ("activity_audience", "stakeholder_group", "audience_group", _GROUPS, True),
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _change(new: dict[str, tuple[str, ...]], old: dict[str, tuple[str, ...]]) -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _rewrite_checks_sqlite(conn, new)
        return
    for table in dict.fromkeys(t for t, *_ in _COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for t, column, name, _values, nullable in _COLUMNS:
                if t == table:
                    batch_op.alter_column(
                        column,
                        existing_type=_enum(old[name], name),
                        type_=_enum(new[name], name),
                        existing_nullable=nullable,
                    )


def _rewrite_checks_sqlite(conn: sa.Connection, new: dict[str, tuple[str, ...]]) -> None:
    """Rewrite the CHECK lists in the stored table definitions.

    Batch mode would recreate the tables, and dropping ``stakeholder`` while foreign keys are
    enforced (they are on every connection, and cannot be turned off inside the migration's
    transaction) cascades: every tie, assessment and training record would be deleted. SQLite
    documents editing ``sqlite_master`` under ``writable_schema`` for changes that leave the
    stored rows valid, such as loosening a CHECK constraint; the rows are not touched.
    """
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    for table, column, name, _values, _nullable in _COLUMNS:
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).scalar_one()
        pattern = re.compile(rf"(CONSTRAINT ck_{table}_{name} CHECK \({column} IN \()[^)]*(\)\))")
        listed = ", ".join(f"'{value}'" for value in new[name])
        changed, count = pattern.subn(lambda m, v=listed: m.group(1) + v + m.group(2), sql)
        if count != 1:
            raise RuntimeError(f"cannot find the CHECK constraint ck_{table}_{name}")
        conn.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (changed, table)
        )
    conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def _values(extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {name: values + extra for _t, _c, name, values, _n in _COLUMNS}


def upgrade() -> None:
    _change(_values(("unclassified",)), _values(()))


def downgrade() -> None:
    _change(_values(()), _values(("unclassified",)))
