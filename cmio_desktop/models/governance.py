"""Risks, governance decisions, demand requests and go/no-go criteria."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.enums import Criticality, Priority, RequestStatus, RiskStatus
from cmio_desktop.models.base import LONG_TEXT, TEXT, VersionedBase, enum_column, score_check


class Risk(VersionedBase):
    __tablename__ = "risk"
    __table_args__ = (score_check("likelihood"), score_check("impact"))

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(LONG_TEXT)
    likelihood: Mapped[int] = mapped_column(default=3)
    impact: Mapped[int] = mapped_column(default=3)
    mitigation: Mapped[str] = mapped_column(LONG_TEXT, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[RiskStatus] = mapped_column(
        enum_column(RiskStatus, "risk_status"), default=RiskStatus.OPEN
    )
    criticality: Mapped[Criticality] = mapped_column(
        enum_column(Criticality, "risk_criticality"), default=Criticality.MAJOR
    )


class RiskStakeholder(VersionedBase):
    """People linked to a risk; the link goes when either side is deleted."""

    __tablename__ = "risk_stakeholder"

    risk_id: Mapped[int] = mapped_column(
        ForeignKey("risk.id", ondelete="CASCADE"), primary_key=True
    )
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Decision(VersionedBase):
    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    committee: Mapped[str] = mapped_column(String(200))
    decided_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(LONG_TEXT)
    rationale: Mapped[str] = mapped_column(LONG_TEXT, default="")


class Request(VersionedBase):
    """A demand-management request from a clinician; kept if the requester is deleted."""

    __tablename__ = "request"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiative.id", ondelete="SET NULL"), index=True
    )
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="SET NULL"), index=True
    )
    summary: Mapped[str] = mapped_column(TEXT)
    detail: Mapped[str] = mapped_column(LONG_TEXT, default="")
    priority: Mapped[Priority] = mapped_column(
        enum_column(Priority, "priority"), default=Priority.MEDIUM
    )
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "request_status"), default=RequestStatus.NEW
    )
    received_on: Mapped[date] = mapped_column(Date)


class GoLiveCriterion(VersionedBase):
    __tablename__ = "golive_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(TEXT)
    metric: Mapped[str] = mapped_column(String(100))
    threshold: Mapped[float] = mapped_column(Float)
    amber_band: Mapped[float] = mapped_column(Float, default=0.0)
    criticality: Mapped[Criticality] = mapped_column(
        enum_column(Criticality, "criterion_criticality"), default=Criticality.MAJOR
    )
    scope: Mapped[str] = mapped_column(String(200), default="all")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
