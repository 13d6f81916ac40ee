"""The super-user roster: who supports colleagues at go-live, in which unit and on which shift."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.enums import Shift
from cmio_desktop.models.base import VersionedBase, enum_column


class SuperUserAssignment(VersionedBase):
    """One person as a super user for one unit on one shift. A person with any assignment has
    the stakeholder's super-user flag set (the roster service keeps the two in step)."""

    __tablename__ = "super_user_assignment"
    __table_args__ = (UniqueConstraint("stakeholder_id", "unit", "shift"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True
    )
    unit: Mapped[str] = mapped_column(String(200))
    shift: Mapped[Shift] = mapped_column(enum_column(Shift, "super_user_shift"), default=Shift.ALL)
