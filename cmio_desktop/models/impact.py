"""Change impact: how much an initiative changes the work of a department or a role."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.enums import Role
from cmio_desktop.models.base import VersionedBase, enum_column

# Prosci-style aspects of the work, each rated 0 (no change) to 5 (transformed).
IMPACT_ASPECTS = (
    "people", "process", "technology", "workflow", "training_hours", "job_role", "reporting",
)  # fmt: skip


class ChangeImpact(VersionedBase):
    """The degree of change one initiative brings to a department (all of it when ``role`` is
    empty) or to one role in it (a department of "" means every department)."""

    __tablename__ = "change_impact"
    __table_args__ = (
        UniqueConstraint("initiative_id", "department", "role"),
        *(CheckConstraint(f"{a} BETWEEN 0 AND 5", name=f"{a}_range") for a in IMPACT_ASPECTS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    department: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role | None] = mapped_column(enum_column(Role, "impact_role"))
    people: Mapped[int] = mapped_column(default=0)
    process: Mapped[int] = mapped_column(default=0)
    technology: Mapped[int] = mapped_column(default=0)
    workflow: Mapped[int] = mapped_column(default=0)
    training_hours: Mapped[int] = mapped_column(default=0)
    job_role: Mapped[int] = mapped_column(default=0)
    reporting: Mapped[int] = mapped_column(default=0)
