"""Gather the executive workbook's plain input from the services (no figure is recomputed here).

Register: ``stakeholders.register.register_rows`` (latest readiness, quadrant), its stored
fields chosen by the field registry. Influence, brokers, hot spots: ``network.analyze`` /
``network.ranking``.
Heat map and trend by round: ``readiness_overview``. Activities: ``plan``; communications:
``communications``; training by role and unit: ``plan_facts`` + ``training.completion_by``;
risks: ``governance``; go/no-go: ``golive.evaluate``. The KPIs are counts and shares of those.

``progress(percent, text)`` is called between steps and may raise to cancel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.analysis.grids import Quadrant, grid_cell_counts
from cmio_desktop.enums import (
    AdkarElement,
    Attitude,
    Cadence,
    Criticality,
    RiskStatus,
    Role,
)
from cmio_desktop.io.workbook.data import (
    ActivityRow,
    AttitudeCount,
    CommunicationRow,
    CriterionRow,
    GoNoGo,
    InfluenceRow,
    PersonName,
    QuadrantRow,
    RegisterRow,
    RiskRow,
    WorkbookData,
    WorkbookMeta,
)
from cmio_desktop.io.workbook.data_history import HISTORY, OPT_IN_SHEETS, check_history_choice
from cmio_desktop.io.workbook.data_portfolio import SaturationGrid
from cmio_desktop.services import dashboard
from cmio_desktop.services.governance import golive
from cmio_desktop.services.governance import records as governance
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan import communications
from cmio_desktop.services.readiness.overview import ROUND_WINDOW_DAYS, load_overview, summarise
from cmio_desktop.services.stakeholders.register import register_rows
from cmio_desktop.services.workbook.figures import (
    definitions,
    departments_from,
    forecast_from,
    kpis_from,
    training_rows,
    trend_from,
)
from cmio_desktop.services.workbook.portfolio_sheets import (
    history_trail,
    portfolio_definitions,
    red_zone_entries,
    saturation_grid,
)
from cmio_desktop.stakeholder_fields import WORKBOOK_FIELDS
from cmio_desktop.store import Workspace

if TYPE_CHECKING:
    from cmio_desktop.io.workbook.writer import WorkbookResult

Progress = Callable[[int, str], None]
S = m.Stakeholder.__table__
TOP_INFLUENCERS, TOP_BROKERS, TOP_HOT_SPOTS = 25, 15, 25
LEADING_PER_QUADRANT = 5


def _no_progress(_percent: int, _text: str) -> None:
    return None


def _label(enum_cls: Any, value: Any) -> str:
    try:
        return enum_cls(value).label
    except ValueError:
        return str(value or "")


def build_workbook_data(
    ws: Workspace,
    initiative_id: int | None = None,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    metrics_runner: network.MetricsRunner | None = None,
    sheets: Collection[str] | None = None,
) -> WorkbookData:
    """Everything the workbook shows for ``initiative_id`` (default: the first initiative).
    The red zone, saturation and history are read only for ``sheets`` that show them (None:
    the default sheets, which leave the history out)."""
    report = progress or _no_progress
    today = today or date.today()
    report(2, "Reading the register…")
    organisation, initiative = _heading(ws, initiative_id)
    ident = initiative[0] if initiative else None
    reg = register_rows(ws, ident)

    def sub(start: int, span: int) -> Progress:
        return lambda percent, text: report(start + percent * span // 100, text)

    report(10, "Analysing the influence network…")
    net = network.analyze(ws, ident, progress=sub(10, 40), metrics_runner=metrics_runner)
    roles = dict(zip(reg.ids, (_label(Role, r) for r in reg.role), strict=True))
    network_influence = dict(zip(net.ids.tolist(), net.influence.tolist(), strict=True))
    register = _register(reg, network_influence)
    summary = overview = None
    if ident is not None:
        report(55, "Summarising readiness…")
        overview = load_overview(ws, ident, metrics_runner=metrics_runner)
        summary = summarise(overview, "department")
    report(70, "Reading the plan, training and risks…")
    activities = plan.list_activities(ws, ident, today) if ident is not None else []
    comms = communications.list_communications(ws, ident, today) if ident is not None else []
    training = training_rows(ws, ident)
    risks = governance.list_risks(ws, ident) if ident is not None else []
    report(80, "Reading change impact and load…")
    rated = ident is not None and _wants(sheets, "red_zone")
    red_zone = red_zone_entries(ws, ident) if rated and ident is not None else []
    saturation = saturation_grid(ws) if _wants(sheets, "saturation") else None
    trail = history_trail(ws) if _wants(sheets, HISTORY) else None
    report(85, "Evaluating go/no-go…")
    card = golive.evaluate(ws, ident, today) if ident is not None else None
    board = dashboard.summary(ws, ident, today) if ident is not None else None
    net_kpis = dashboard.network_kpis(ws, ident, metrics_runner=metrics_runner)
    meta = WorkbookMeta(
        organisation=organisation,
        initiative=initiative[1] if initiative else "(no initiative)",
        prepared_on=today,
        go_live=initiative[2] if initiative else None,
        description=initiative[3] if initiative else "",
    )
    go_no_go = _go_no_go(card)
    forecast_figures = _forecast(ws, ident, today) if ident is not None else None
    departments = departments_from(summary)
    data = WorkbookData(
        meta=meta,
        kpis=kpis_from(meta, register, board, net_kpis, _settings(overview), go_no_go),
        go_no_go=go_no_go,
        departments=departments,
        trend=trend_from(overview, summary),
        attitudes=_attitudes(register),
        register=sorted(register, key=lambda r: (r.name.casefold(), r.person_id)),
        quadrants=_quadrants(reg, net),
        grid_counts=tuple(
            tuple(r) for r in grid_cell_counts(zip(reg.power, reg.interest, strict=True))
        ),
        influence=_influence(net, roles),
        activities=[_activity(a) for a in activities],
        communications=[_communication(c) for c in comms],
        training=training,
        risks=[_risk(r) for r in risks],
        definitions=[
            *definitions(reg, net, overview, ROUND_WINDOW_DAYS),
            *portfolio_definitions(rated, saturation is not None),
        ],
        forecast=forecast_figures,
        ready_threshold=_settings(overview).ready_threshold,
        barrier_max=_settings(overview).barrier_max,
        red_zone=red_zone,
        saturation=saturation if saturation is not None else SaturationGrid(),
        history=trail,
    )
    report(95, "Workbook data ready")
    return data


def _wants(sheets: Collection[str] | None, key: str) -> bool:
    return key in sheets if sheets is not None else key not in OPT_IN_SHEETS


def _forecast(ws: Workspace, initiative_id: int, today: date) -> Any:
    """The forecast section, or None when there is nothing to forecast (no go-live date)."""
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.services.readiness import forecast as forecast_service

    try:
        run = forecast_service.load_forecast(ws, initiative_id, today=today)
    except ServiceError:
        return None
    return forecast_from(run)


def workbook_register(ws: Workspace, initiative_id: int | None = None) -> list[RegisterRow]:
    """The register sheet's rows alone (sorted by name), for exports that need nothing else."""
    reg = register_rows(ws, initiative_id)
    rows = _register(reg, {})  # no graph: network column blank
    return sorted(rows, key=lambda r: (r.name.casefold(), r.person_id))


def _heading(
    ws: Workspace, initiative_id: int | None
) -> tuple[str, tuple[int, str, date | None, str] | None]:
    ini = m.Initiative
    with ws.read_session() as session:
        organisation = session.scalar(select(m.Organisation.name).order_by(m.Organisation.id))
        stmt = select(ini.id, ini.name, ini.go_live, ini.description).order_by(ini.id).limit(1)
        if initiative_id is not None:
            stmt = stmt.where(ini.id == initiative_id)
        row = session.execute(stmt).first()
    if row is None and initiative_id is not None:
        from cmio_desktop.services.errors import NotFoundError

        raise NotFoundError(f"There is no initiative with id {initiative_id}.")
    heading = (int(row[0]), str(row[1]), row[2], str(row[3] or "")) if row else None
    return str(organisation or ""), heading


def _settings(overview: Any) -> ReadinessSettings:
    return overview.settings if overview is not None else ReadinessSettings()


#: The register sheet's stored fields: named on RegisterRow, or carried in its ``fields``.
_NAMED = frozenset(RegisterRow.__dataclass_fields__)
_SHEET_FIELDS = tuple(f for f in WORKBOOK_FIELDS if f.key not in _NAMED)


def _register(reg: Any, influence: dict[int, float]) -> list[RegisterRow]:
    """The register sheet's rows, built by field name from the register's columns."""
    shown = {f.key: [f.display(v) for v in reg.values[f.key]] for f in WORKBOOK_FIELDS}
    named = [k for k in shown if k in _NAMED]
    quadrant = {q.value: q.label for q in Quadrant}
    barrier = {e.value: e.label for e in AdkarElement}
    return [
        RegisterRow(
            person_id=ident,
            quadrant=quadrant.get(reg.quadrant[n], reg.quadrant[n]),
            readiness=reg.readiness[n],
            barrier=barrier.get(reg.barrier[n], "") if reg.barrier[n] else "",
            flags=reg.flags[n],
            network_influence=influence.get(ident),
            fields={f.key: shown[f.key][n] for f in _SHEET_FIELDS},
            **{key: shown[key][n] for key in named},
        )
        for n, ident in enumerate(reg.ids)
    ]


def _attitudes(register: list[RegisterRow]) -> list[AttitudeCount]:
    counts = Counter(r.attitude for r in register)
    return [AttitudeCount(a.label, counts.get(a.label, 0)) for a in Attitude]


def _quadrants(reg: Any, net: network.NetworkAnalysis) -> list[QuadrantRow]:
    rows = []
    hot = {int(net.ids[p]) for p in net.hot_spots}
    influence = {int(i): float(v) for i, v in zip(net.ids.tolist(), net.influence, strict=True)}
    low_moods = {Attitude.RESISTANT.value, Attitude.UNAWARE.value}
    for q in Quadrant:
        members = [i for i, value in enumerate(reg.quadrant) if value == q.value]
        scored = [reg.readiness[i] for i in members if reg.readiness[i] is not None]
        leading = sorted(
            members,
            key=lambda i: (
                -reg.power[i] * reg.interest[i],
                -influence.get(reg.ids[i], 0.0),
                reg.ids[i],
            ),
        )[:LEADING_PER_QUADRANT]
        rows.append(
            QuadrantRow(
                quadrant=q.label,
                strategy=q.strategy,
                people=len(members),
                resistant_or_unaware=sum(1 for i in members if reg.attitude[i] in low_moods),
                mean_readiness=sum(scored) / len(scored) if scored else None,
                hot_spots=sum(1 for i in members if reg.ids[i] in hot),
                leading=tuple(PersonName(reg.ids[i], reg.name[i]) for i in leading),
            )
        )
    return rows


def _influence(net: network.NetworkAnalysis, roles: dict[int, str]) -> list[InfluenceRow]:
    rows: list[InfluenceRow] = []
    lists = (
        ("Key resister", "key_resisters", None),  # all of them: the one list, in order
        ("Champion", "champions", None),
        ("Top influencer", "influencers", TOP_INFLUENCERS),
        ("Broker", "brokers", TOP_BROKERS),
        ("Hot spot", "hot_spots", TOP_HOT_SPOTS),
    )
    for list_name, kind, limit in lists:
        for rank, row in enumerate(network.ranking(net, kind, limit), start=1):  # type: ignore[arg-type]
            person = net.person(row.person_id)
            rows.append(
                InfluenceRow(
                    list_name=list_name,
                    rank=rank,
                    person_id=row.person_id,
                    name=row.name,
                    role=roles.get(row.person_id, ""),
                    department=row.department,
                    influence=person.influence,
                    betweenness=person.betweenness,
                    reach=person.reach,
                    readiness=person.readiness,
                    attitude=_label(Attitude, person.attitude),
                    reason=row.reason,
                    power_rated=person.power_rated,
                )
            )
    return rows


def _activity(a: plan.ActivityRow) -> ActivityRow:
    return ActivityRow(
        title=a.title,
        kind=a.type_label,
        element=a.element_label,
        audience=a.audience_text,
        owner=a.owner,
        start=a.start,
        due=a.due,
        status=a.status_label,
        closed=not a.is_open,
        outcome=a.outcome,
    )


def _communication(c: communications.CommunicationRow) -> CommunicationRow:
    return CommunicationRow(
        audience=c.audience,
        message=c.message,
        channel=c.channel,
        sender=c.sender,
        cadence=_label(Cadence, c.cadence),
        start=c.start_date,
        end=c.end_date,
    )


def _risk(r: governance.RiskRow) -> RiskRow:
    return RiskRow(
        description=r.description,
        likelihood=r.likelihood,
        impact=r.impact,
        criticality=_label(Criticality, r.criticality),
        status=_label(RiskStatus, r.status),
        owner=r.owner,
        mitigation=r.mitigation,
        people=tuple(PersonName(i, n) for i, n in zip(r.people, r.people_names, strict=True)),
    )


def _go_no_go(card: Any) -> GoNoGo:
    if card is None:
        return GoNoGo("unknown", "No initiative: nothing to evaluate.")
    from cmio_desktop.analysis.golive import scope_label

    criteria = tuple(
        CriterionRow(
            name=r.name,
            criticality=_label(Criticality, r.spec.criticality),
            scope=scope_label(r.spec.scope).capitalize(),
            threshold=r.threshold_text,
            actual=r.value_text,
            status="unknown" if r.status.value == "not_assessed" else r.status.value,
            evidence="\n".join(r.evidence),
        )
        for r in card.results
    )
    if not criteria:
        return GoNoGo("unknown", "No go/no-go criteria are defined for this initiative.")
    decision = "unknown" if card.overall.value == "not_assessed" else card.overall.value
    return GoNoGo(decision, "\n".join(card.reasons), criteria)


def export_workbook(
    ws: Workspace,
    path: str | Path,
    initiative_id: int | None = None,
    *,
    sheets: Collection[str] | None = None,
    anonymised: bool = False,
    pseudonym_key: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    metrics_runner: network.MetricsRunner | None = None,
) -> WorkbookResult:
    """Gather the data and write the executive workbook to ``path`` (see
    :func:`cmio_desktop.io.workbook.writer.write_workbook`). Progress: gathering 0–40 %,
    writing 40–100 %. Raises ``ExportError`` / ``ExportCancelled`` with a user message."""
    from cmio_desktop.io.export_target import refuse_workspace
    from cmio_desktop.io.workbook.writer import write_workbook

    refuse_workspace(Path(path), ws.path)
    check_history_choice(sheets, anonymised)  # before any reading
    report = progress or _no_progress
    data = build_workbook_data(
        ws,
        initiative_id,
        today=today,
        progress=lambda p, text: report(p * 40 // 100, text),
        metrics_runner=metrics_runner,
        sheets=sheets,
    )
    return write_workbook(
        path,
        data,
        sheets=sheets,
        anonymised=anonymised,
        pseudonym_key=pseudonym_key,
        progress=lambda p, text: report(40 + p * 60 // 100, text),
        cancelled=cancelled,
    )


def export_briefing_pack(
    ws: Workspace,
    path: str | Path,
    initiative_id: int | None = None,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    metrics_runner: network.MetricsRunner | None = None,
) -> int:
    """Write the PDF briefing pack of the main charts; returns the number of pages."""
    from cmio_desktop.io.briefing_pack import write_briefing_pack
    from cmio_desktop.io.export_target import refuse_workspace

    refuse_workspace(Path(path), ws.path)
    report = progress or _no_progress
    data = build_workbook_data(
        ws,
        initiative_id,
        today=today,
        progress=lambda p, text: report(p * 60 // 100, text),
        metrics_runner=metrics_runner,
    )
    report(65, "Drawing the charts…")
    pages = write_briefing_pack(path, data)
    report(100, "Done")
    return pages
