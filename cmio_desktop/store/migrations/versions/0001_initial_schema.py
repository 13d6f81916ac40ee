"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-27 12:57:53.259183
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(
            "ix_audit_event_entity_entity_id", ["entity", "entity_id"], unique=False
        )

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    op.create_table(
        "workspace_setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_workspace_setting")),
    )
    op.create_table(
        "initiative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("go_live", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_initiative_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative")),
    )
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "stakeholder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "physician",
                "nurse",
                "pharmacist",
                "app",
                "allied_health",
                "it",
                "executive",
                "administrator",
                "patient_family",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "stakeholder_group",
            sa.Enum(
                "clinical_leader",
                "frontline_clinician",
                "executive",
                "it",
                "patient",
                "support_staff",
                "external",
                name="stakeholder_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("notes", sa.String(length=4000), nullable=False),
        sa.Column("is_body", sa.Boolean(), nullable=False),
        sa.Column("power", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column(
            "attitude",
            sa.Enum(
                "unaware",
                "resistant",
                "neutral",
                "supportive",
                "leading",
                name="attitude",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "desired_attitude",
            sa.Enum(
                "unaware",
                "resistant",
                "neutral",
                "supportive",
                "leading",
                name="desired_attitude",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("salience_power", sa.Boolean(), nullable=False),
        sa.Column("salience_legitimacy", sa.Boolean(), nullable=False),
        sa.Column("salience_urgency", sa.Boolean(), nullable=False),
        sa.Column("physician_champion", sa.Boolean(), nullable=False),
        sa.Column("super_user", sa.Boolean(), nullable=False),
        sa.Column("custom_fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("interest BETWEEN 1 AND 5", name=op.f("ck_stakeholder_interest_range")),
        sa.CheckConstraint("power BETWEEN 1 AND 5", name=op.f("ck_stakeholder_power_range")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_stakeholder_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder")),
        sa.UniqueConstraint("external_id", name=op.f("uq_stakeholder_external_id")),
    )
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_attitude"), ["attitude"], unique=False)
        batch_op.create_index(
            "ix_stakeholder_department_name", ["department", "name"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stakeholder_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_stakeholder_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stakeholder_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stakeholder_role"), ["role"], unique=False)
        batch_op.create_index(batch_op.f("ix_stakeholder_site"), ["site"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stakeholder_stakeholder_group"), ["stakeholder_group"], unique=False
        )

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "one_to_one",
                "sponsor_one_to_one",
                "briefing",
                "town_hall",
                "demo",
                "training_session",
                "practice_session",
                "at_the_elbow",
                "super_user_huddle",
                "newsletter",
                "governance_meeting",
                "recognition",
                "feedback_session",
                name="activity_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "element",
            sa.Enum(
                "awareness",
                "desire",
                "knowledge",
                "ability",
                "reinforcement",
                name="element",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "cancelled",
                name="activity_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(length=4000), nullable=False),
        sa.CheckConstraint(
            "due IS NULL OR start IS NULL OR due >= start", name=op.f("ck_activity_dates_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_activity_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_initiative_due", ["initiative_id", "due"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_status"), ["status"], unique=False)

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("awareness", sa.Integer(), nullable=False),
        sa.Column("desire", sa.Integer(), nullable=False),
        sa.Column("knowledge", sa.Integer(), nullable=False),
        sa.Column("ability", sa.Integer(), nullable=False),
        sa.Column("reinforcement", sa.Integer(), nullable=False),
        sa.Column("assessor", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=False),
        sa.CheckConstraint("ability BETWEEN 1 AND 5", name=op.f("ck_assessment_ability_range")),
        sa.CheckConstraint("awareness BETWEEN 1 AND 5", name=op.f("ck_assessment_awareness_range")),
        sa.CheckConstraint("desire BETWEEN 1 AND 5", name=op.f("ck_assessment_desire_range")),
        sa.CheckConstraint("knowledge BETWEEN 1 AND 5", name=op.f("ck_assessment_knowledge_range")),
        sa.CheckConstraint(
            "reinforcement BETWEEN 1 AND 5", name=op.f("ck_assessment_reinforcement_range")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_assessment_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_assessment_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_initiative_person_date",
            ["initiative_id", "stakeholder_id", "assessed_on"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_stakeholder_id"), ["stakeholder_id"], unique=False
        )

    op.create_table(
        "communication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=400), nullable=False),
        sa.Column("message", sa.String(length=4000), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column(
            "cadence",
            sa.Enum(
                "once",
                "weekly",
                "fortnightly",
                "monthly",
                name="cadence",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date",
            name=op.f("ck_communication_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_communication_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communication")),
    )
    with op.batch_alter_table("communication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_communication_initiative_id"), ["initiative_id"], unique=False
        )

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=4000), nullable=False),
        sa.Column("rationale", sa.String(length=4000), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_decision_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_initiative_id"), ["initiative_id"], unique=False
        )

    op.create_table(
        "golive_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("amber_band", sa.Float(), nullable=False),
        sa.Column(
            "criticality",
            sa.Enum(
                "critical",
                "major",
                "minor",
                name="criterion_criticality",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_golive_criterion_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_golive_criterion")),
    )
    with op.batch_alter_table("golive_criterion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_golive_criterion_initiative_id"), ["initiative_id"], unique=False
        )

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_milestone_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_initiative_id"), ["initiative_id"], unique=False
        )

    op.create_table(
        "phase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_phase_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_phase_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phase")),
    )
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phase_initiative_id"), ["initiative_id"], unique=False)

    op.create_table(
        "relationship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "reports_to",
                "peer",
                "informal_advisor",
                "committee",
                "mentor",
                "other",
                name="tie_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=4000), nullable=False),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_relationship_not_self")),
        sa.CheckConstraint("strength BETWEEN 1 AND 5", name=op.f("ck_relationship_strength_range")),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["stakeholder.id"],
            name=op.f("fk_relationship_source_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["stakeholder.id"],
            name=op.f("fk_relationship_target_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship")),
    )
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relationship_target_id"), ["target_id"], unique=False)
        batch_op.create_index(
            "uq_relationship_source_id_target_id", ["source_id", "target_id"], unique=True
        )

    op.create_table(
        "request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("requester_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("detail", sa.String(length=4000), nullable=False),
        sa.Column(
            "priority",
            sa.Enum(
                "low",
                "medium",
                "high",
                "urgent",
                name="priority",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "triaged",
                "in_progress",
                "done",
                "declined",
                name="request_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_request_initiative_id_initiative"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["stakeholder.id"],
            name=op.f("fk_request_requester_id_stakeholder"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request")),
    )
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_initiative_id"), ["initiative_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_request_requester_id"), ["requester_id"], unique=False)

    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("mitigation", sa.String(length=4000), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "mitigating",
                "closed",
                name="risk_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "criticality",
            sa.Enum(
                "critical",
                "major",
                "minor",
                name="risk_criticality",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risk_impact_range")),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_risk_likelihood_range")),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_risk_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk")),
    )
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_initiative_id"), ["initiative_id"], unique=False)

    op.create_table(
        "training_course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "physician",
                "nurse",
                "pharmacist",
                "app",
                "allied_health",
                "it",
                "executive",
                "administrator",
                "patient_family",
                name="course_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("required_by", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_training_course_initiative_id_initiative"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_course")),
    )
    with op.batch_alter_table("training_course", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_course_initiative_id"), ["initiative_id"], unique=False
        )

    op.create_table(
        "activity_audience",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column(
            "stakeholder_group",
            sa.Enum(
                "clinical_leader",
                "frontline_clinician",
                "executive",
                "it",
                "patient",
                "support_staff",
                "external",
                name="audience_group",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.CheckConstraint(
            "(CASE WHEN stakeholder_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN department IS NULL THEN 0 ELSE 1 END) + (CASE WHEN stakeholder_group IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_activity_audience_exactly_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_audience_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_activity_audience_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_audience")),
    )
    with op.batch_alter_table("activity_audience", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_audience_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_activity_audience_stakeholder_id"), ["stakeholder_id"], unique=False
        )

    op.create_table(
        "risk_stakeholder",
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risk.id"],
            name=op.f("fk_risk_stakeholder_risk_id_risk"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_risk_stakeholder_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("risk_id", "stakeholder_id", name=op.f("pk_risk_stakeholder")),
    )
    with op.batch_alter_table("risk_stakeholder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_stakeholder_stakeholder_id"), ["stakeholder_id"], unique=False
        )

    op.create_table(
        "training_completion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column(
            "proficiency",
            sa.Enum(
                "not_assessed",
                "basic",
                "proficient",
                "expert",
                name="proficiency",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_course.id"],
            name=op.f("fk_training_completion_course_id_training_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_training_completion_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_completion")),
        sa.UniqueConstraint(
            "course_id",
            "stakeholder_id",
            name=op.f("uq_training_completion_course_id_stakeholder_id"),
        ),
    )
    with op.batch_alter_table("training_completion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_completion_stakeholder_id"), ["stakeholder_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("training_completion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_completion_stakeholder_id"))

    op.drop_table("training_completion")
    with op.batch_alter_table("risk_stakeholder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_stakeholder_stakeholder_id"))

    op.drop_table("risk_stakeholder")
    with op.batch_alter_table("activity_audience", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_audience_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_activity_audience_activity_id"))

    op.drop_table("activity_audience")
    with op.batch_alter_table("training_course", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_course_initiative_id"))

    op.drop_table("training_course")
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_initiative_id"))

    op.drop_table("risk")
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_requester_id"))
        batch_op.drop_index(batch_op.f("ix_request_initiative_id"))

    op.drop_table("request")
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.drop_index("uq_relationship_source_id_target_id")
        batch_op.drop_index(batch_op.f("ix_relationship_target_id"))

    op.drop_table("relationship")
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phase_initiative_id"))

    op.drop_table("phase")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_initiative_id"))

    op.drop_table("milestone")
    with op.batch_alter_table("golive_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_golive_criterion_initiative_id"))

    op.drop_table("golive_criterion")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_initiative_id"))

    op.drop_table("decision")
    with op.batch_alter_table("communication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communication_initiative_id"))

    op.drop_table("communication")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_stakeholder_id"))
        batch_op.drop_index("ix_assessment_initiative_person_date")

    op.drop_table("assessment")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_status"))
        batch_op.drop_index(batch_op.f("ix_activity_owner"))
        batch_op.drop_index("ix_activity_initiative_due")

    op.drop_table("activity")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_stakeholder_group"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_site"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_role"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_name"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_email"))
        batch_op.drop_index("ix_stakeholder_department_name")
        batch_op.drop_index(batch_op.f("ix_stakeholder_attitude"))

    op.drop_table("stakeholder")
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_initiative_organisation_id"))

    op.drop_table("initiative")
    op.drop_table("workspace_setting")
    op.drop_table("organisation")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity_entity_id")
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
