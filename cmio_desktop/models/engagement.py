"""The engagement log: dated interactions with a person, and the commitments made in them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.enums import EngagementType
from cmio_desktop.models.base import LONG_TEXT, TEXT, VersionedBase, enum_column, utcnow

SENTIMENT_MIN, SENTIMENT_MAX = -2, 2


class EngagementEntry(VersionedBase):
    """A 1:1, meeting, call, email or site visit with one person: who from our side, what was
    said, how it felt (−2 … +2) and when to be in touch next."""

    __tablename__ = "engagement_entry"
    __table_args__ = (
        CheckConstraint(
            f"sentiment BETWEEN {SENTIMENT_MIN} AND {SENTIMENT_MAX}", name="sentiment_range"
        ),
        Index("ix_engagement_entry_person_date", "stakeholder_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiative.id", ondelete="SET NULL")
    )
    occurred_on: Mapped[date] = mapped_column(Date)
    type: Mapped[EngagementType] = mapped_column(enum_column(EngagementType, "engagement_type"))
    our_side: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(LONG_TEXT, default="")
    sentiment: Mapped[int] = mapped_column(default=0)
    next_contact: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EngagementCommitment(VersionedBase):
    """Something promised in an interaction ("send the order-set draft"), with a due date."""

    __tablename__ = "engagement_commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("engagement_entry.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(TEXT)
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(default=False)
