"""the engagement log, change impact and the super-user roster

The engagement log (dated interactions with a person and the commitments made in them),
change impact (per initiative and department or role, seven aspects rated 0-5) and the
super-user roster (a person per unit and shift). New tables only; nothing existing changes. Their ids are AUTOINCREMENT like every audited
table's since 0003, so a deleted entry's id is never given to another.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ENGAGEMENT_TYPES = ("one_to_one", "meeting", "call", "email", "site_visit")
ROLES = (
    "physician", "nurse", "pharmacist", "app", "allied_health", "it", "executive",
    "administrator", "patient_family", "unclassified",
)  # fmt: skip
SHIFTS = ("day", "evening", "night", "weekend", "all")
IMPACT_ASPECTS = (
    "people", "process", "technology", "workflow", "training_hours", "job_role", "reporting",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "engagement_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                *ENGAGEMENT_TYPES,
                name="engagement_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.Column("our_side", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=4000), nullable=False),
        sa.Column("sentiment", sa.Integer(), nullable=False),
        sa.Column("next_contact", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "sentiment BETWEEN -2 AND 2", name=op.f("ck_engagement_entry_sentiment_range")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_engagement_entry_initiative_id_initiative"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_engagement_entry_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_entry")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_engagement_entry_person_date", "engagement_entry", ["stakeholder_id", "occurred_on"]
    )
    op.create_index(op.f("ix_engagement_entry_next_contact"), "engagement_entry", ["next_contact"])
    op.create_table(
        "engagement_commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=400), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["engagement_entry.id"],
            name=op.f("fk_engagement_commitment_entry_id_engagement_entry"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_commitment")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_engagement_commitment_entry_id"), "engagement_commitment", ["entry_id"]
    )

    op.create_table(
        "change_impact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                *ROLES, name="impact_role", native_enum=False, create_constraint=True, length=32
            ),
            nullable=True,
        ),  # fmt: skip
        *(sa.Column(a, sa.Integer(), nullable=False) for a in IMPACT_ASPECTS),
        *(
            sa.CheckConstraint(f"{a} BETWEEN 0 AND 5", name=op.f(f"ck_change_impact_{a}_range"))
            for a in IMPACT_ASPECTS
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_change_impact_initiative_id_initiative"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_impact")),
        sa.UniqueConstraint(
            "initiative_id",
            "department",
            "role",
            name=op.f("uq_change_impact_initiative_id_department_role"),
        ),  # fmt: skip
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_change_impact_initiative_id"), "change_impact", ["initiative_id"])

    op.create_table(
        "super_user_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column(
            "shift",
            sa.Enum(
                *SHIFTS,
                name="super_user_shift",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_super_user_assignment_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_super_user_assignment")),
        sa.UniqueConstraint(
            "stakeholder_id",
            "unit",
            "shift",
            name=op.f("uq_super_user_assignment_stakeholder_id_unit_shift"),
        ),  # fmt: skip
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_super_user_assignment_stakeholder_id"), "super_user_assignment",
        ["stakeholder_id"],
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("super_user_assignment")
    op.drop_table("change_impact")
    op.drop_table("engagement_commitment")
    op.drop_table("engagement_entry")
