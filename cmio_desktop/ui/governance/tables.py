"""Columns and form fields for risks, decisions and demand requests."""

from __future__ import annotations

from cmio_desktop.enums import Criticality, Priority, RequestStatus, RiskStatus
from cmio_desktop.services.governance.records import DecisionRow, RequestRow, RiskRow
from cmio_desktop.ui.common.form_dialog import Field, enum_choices
from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.table_model import Column
from cmio_desktop.ui.governance.risk_matrix import band

CRITICALITY_COLOURS = {"critical": "#b91c1c", "major": "#b45309", "minor": "#475569"}
PRIORITY_COLOURS = {"urgent": "#b91c1c", "high": "#b45309", "medium": "#334155", "low": "#64748b"}


def _score_colour(r: RiskRow) -> str:
    return {"High": "#b91c1c", "Medium": "#b45309", "Low": "#047857"}[band(r.score)[1]]


RISK_COLUMNS = (
    Column("Risk", lambda r: r.description, tooltip=lambda r: r.description, width=280),
    Column("L", lambda r: str(r.likelihood), key=lambda r: r.likelihood, align="center",
           width=34, header_tip="Likelihood (1–5)"),
    Column("I", lambda r: str(r.impact), key=lambda r: r.impact, align="center", width=34,
           header_tip="Impact (1–5)"),
    Column("Score", lambda r: str(r.score), key=lambda r: r.score, align="center", width=62,
           colour=_score_colour, bold=lambda r: True, header_tip="Likelihood × impact"),
    Column("Criticality", lambda r: r.criticality_label,
           key=lambda r: list(Criticality).index(Criticality(r.criticality)),
           colour=lambda r: CRITICALITY_COLOURS.get(r.criticality), width=84),
    Column("Status", lambda r: r.status_label,
           key=lambda r: list(RiskStatus).index(RiskStatus(r.status)), width=86),
    Column("Owner", lambda r: r.owner, width=150),
)  # fmt: skip

RISK_FIELDS = (
    Field("description", "Risk", "long", required=True),
    Field("likelihood", "Likelihood", "int", minimum=1, maximum=5,
          help="1 rare … 5 almost certain"),
    Field("impact", "Impact", "int", minimum=1, maximum=5, help="1 negligible … 5 severe"),
    Field("criticality", "Criticality", "choice", enum_choices(Criticality),
          help="Critical open risks fail the 'No open critical risk' go-live criterion"),
    Field("status", "Status", "choice", enum_choices(RiskStatus)),
    Field("owner", "Owner"),
    Field("mitigation", "Mitigation", "long"),
)  # fmt: skip


def decision_columns() -> tuple[Column, ...]:
    return (
        Column("Date", lambda r: fmt_date(r.decided_on), key=lambda r: r.decided_on, width=100),
        Column("Committee", lambda r: r.committee, width=260),
        Column("Decision", lambda r: r.decision, tooltip=lambda r: r.decision, width=440),
        Column("Rationale", lambda r: r.rationale, tooltip=lambda r: r.rationale),
    )


DECISION_FIELDS = (
    Field("committee", "Committee", "edit_choice", required=True),
    Field("decided_on", "Date", "date"),
    Field("decision", "Decision", "long", required=True),
    Field("rationale", "Rationale", "long"),
)


def request_columns() -> tuple[Column, ...]:
    return (
        Column("Received", lambda r: fmt_date(r.received_on), key=lambda r: r.received_on,
               width=100),
        Column("Requester", lambda r: r.requester or "—", width=170),
        Column("Request", lambda r: r.summary, tooltip=lambda r: r.detail or r.summary,
               width=380),
        Column("Priority", lambda r: r.priority_label,
               key=lambda r: list(Priority).index(Priority(r.priority)),
               colour=lambda r: PRIORITY_COLOURS.get(r.priority), bold=lambda r: r.priority
               in ("urgent", "high"), width=84),
        Column("Status", lambda r: r.status_label,
               key=lambda r: list(RequestStatus).index(RequestStatus(r.status)), width=96),
        Column("Detail", lambda r: r.detail, tooltip=lambda r: r.detail),
    )  # fmt: skip


def request_fields(people: list[tuple[int, str, str, str]]) -> tuple[Field, ...]:
    requesters = [("(nobody named)", None)] + [(f"{p[1]} ({p[2] or 'no department'})", p[0])
                                               for p in people]  # fmt: skip
    return (
        Field("summary", "Request", required=True),
        Field("requester_id", "Requester", "choice", requesters),
        Field("priority", "Priority", "choice", enum_choices(Priority)),
        Field("status", "Status", "choice", enum_choices(RequestStatus)),
        Field("received_on", "Received", "date"),
        Field("detail", "Detail", "long"),
    )


__all__ = ["DecisionRow", "RequestRow", "RiskRow"]
