"""ADKAR readiness assessments: one row per person, initiative and round."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.models.base import LONG_TEXT, VersionedBase, score_check

ADKAR_COLUMNS = ("awareness", "desire", "knowledge", "ability", "reinforcement")


class Assessment(VersionedBase):
    __tablename__ = "assessment"
    __table_args__ = (
        *(score_check(c) for c in ADKAR_COLUMNS),
        Index(
            "ix_assessment_initiative_person_date", "initiative_id", "stakeholder_id", "assessed_on"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True
    )
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    assessed_on: Mapped[date] = mapped_column(Date)
    awareness: Mapped[int]
    desire: Mapped[int]
    knowledge: Mapped[int]
    ability: Mapped[int]
    reinforcement: Mapped[int]
    assessor: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(LONG_TEXT, default="")
