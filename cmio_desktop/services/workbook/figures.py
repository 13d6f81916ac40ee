"""Figures for the executive workbook derived from other services' results: the heat map rows,
the trend by round, training by role and unit, the KPIs and the definitions on the Notes sheet.
(Split from ``workbook_data`` to keep both modules small.)"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.enums import Attitude, Role
from cmio_desktop.io.workbook.data import (
    DepartmentReadiness,
    ForecastFigures,
    GoNoGo,
    Kpi,
    RegisterRow,
    TrainingRow,
    TrendPoint,
    WorkbookMeta,
    day_text,
)
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.plan.facts import load_people_facts
from cmio_desktop.services.plan.training import completion_by, overview_from
from cmio_desktop.store import Workspace


def _mean(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def departments_from(summary: Any) -> list[DepartmentReadiness]:
    """Heat-map rows from ``readiness_overview.summarise(…, "department")``."""
    if summary is None:
        return []
    rows = []
    for g in summary.rows:
        barriers = Counter({k: v for k, v in g.barriers.items() if k is not None})
        main = barriers.most_common(1)[0][0].label if barriers else ""
        assessed = len(g.assessed)
        rows.append(
            DepartmentReadiness(
                department=g.label,
                people=len(g.members),
                assessed=assessed,
                elements=tuple(_mean(v) for v in g.element_means),  # type: ignore[arg-type]
                readiness=g.readiness,
                influence_weighted=g.influence_weighted,
                ready_share=g.ready / assessed if assessed else None,
                main_barrier=main,
            )
        )
    return sorted(rows, key=lambda d: d.department.casefold())


def trend_from(overview: Any, summary: Any) -> list[TrendPoint]:
    """Mean readiness of everyone assessed in each round."""
    if overview is None or summary is None:
        return []
    return [
        TrendPoint(f"Round {i}", span.start, len(scores), value)
        for i, (span, scores, value) in enumerate(
            zip(overview.rounds, overview.round_scores, summary.overall.trend, strict=True),
            start=1,
        )
    ]


def training_rows(ws: Workspace, initiative_id: int | None) -> list[TrainingRow]:
    """Per role: all units, then each unit. People count as trained once every course
    required of them is completed (the go-live access rule)."""
    with ws.read_session() as session:
        facts = load_people_facts(session, initiative_id)
    if not facts.courses:
        return []
    overview = overview_from(facts)

    def role_label(value: str | None) -> str:
        return Role(value).label if value else "Everyone"

    sep = "\x1f"
    cross = completion_by(
        facts.people,
        facts.required_of,
        facts.completed,
        lambda p: f"{role_label(p.role)}{sep}{p.department or '(no department)'}",
    )
    courses: dict[str, list[Any]] = {}
    for c in overview.courses:
        courses.setdefault(c.role_label, []).append(c)
    rows: list[TrainingRow] = []
    for group in overview.by_role:
        mine = courses.get(group.label, []) + courses.get("Everyone", [])
        names = ", ".join(c.name for c in mine)
        dates = [c.required_by for c in mine if c.required_by is not None]
        due = min(dates) if dates else None
        rows.append(TrainingRow(group.label, "", names, group.required, group.trained, due))
        for unit in cross:
            role, _, department = unit.label.partition(sep)
            if role == group.label:
                rows.append(TrainingRow(role, department, names, unit.required, unit.trained, due))
    return rows


def kpis_from(
    meta: WorkbookMeta,
    register: Sequence[RegisterRow],
    board: Any,
    net_kpis: Any,
    settings: ReadinessSettings,
    go_no_go: GoNoGo,
) -> list[Kpi]:
    """Headline figures, the same as the Dashboard page's (``services.dashboard``: ``board``
    from ``summary``, ``net_kpis`` from ``network_kpis``), plus resistant key players."""
    kpis: list[Kpi] = []
    days = meta.days_to_go_live
    if days is not None:
        kpis.append(Kpi("Days to go-live", days, "#,##0", f"Go-live {day_text(meta.go_live)}"))
    if board is None:
        kpis.append(Kpi("People in the register", len(register), "#,##0"))
        return kpis
    share = f" ({board.assessed / board.people:.0%})" if board.people else ""
    kpis.append(
        Kpi("People", board.people, "#,##0", f"{board.assessed:,} assessed{share}")
    )  # fmt: skip
    if board.mean_readiness is not None:
        weighted = net_kpis.influence_weighted if net_kpis is not None else None
        note = f"Network-weighted {weighted:.1f}" if weighted is not None else ""
        kpis.append(Kpi("Mean readiness (1–5)", board.mean_readiness, "0.0", note))
        ready = board.ready / board.assessed if board.assessed else 0.0
        kpis.append(
            Kpi("Ready for go-live", ready, "0%",
                f"{board.ready:,} of {board.assessed:,} assessed: readiness ≥ "
                f"{settings.ready_threshold:g}, no barrier point", _rag(ready, 0.6, 0.4))
        )  # fmt: skip
    if net_kpis is not None:
        kpis.append(
            Kpi("Hot spots", net_kpis.hot_spots, "#,##0",
                "Highly influential people who are not ready or resist",
                "green" if not net_kpis.hot_spots else "amber")
        )  # fmt: skip
    if net_kpis is not None:  # the one list (network analysis), as on the dashboard
        keys = net_kpis.key_resisters
        kpis.append(
            Kpi("Key resisters", keys, "#,##0",
                "Resist (or desire ≤ 2) and a key player or top-10 % network influence; "
                "listed on the Network influence sheet", "green" if not keys else "red")
        )  # fmt: skip
    if board.training_required:
        done = board.training_trained / board.training_required
        kpis.append(
            Kpi("Training completion", done, "0%",
                f"{board.untrained:,} people would lose access at go-live",
                _rag(done, 0.9, 0.8))
        )  # fmt: skip
    overdue = board.activities_overdue
    kpis.append(
        Kpi("Overdue activities", overdue, "#,##0",
            f"{board.activities_open:,} open; {board.activities_due_soon:,} due soon",
            "green" if not overdue else "red")
    )  # fmt: skip
    critical = board.open_critical_risks
    kpis.append(
        Kpi("Open critical risks", critical, "#,##0", f"{board.open_risks:,} open risks in all",
            "green" if not critical else "red")
    )  # fmt: skip
    if go_no_go.criteria:
        count = Counter(c.status for c in go_no_go.criteria)
        total = len(go_no_go.criteria)
        kpis.append(
            Kpi("Go/no-go criteria met", count["green"], "#,##0",
                f"of {total}: {count['amber']} amber, {count['red']} red",
                "green" if count["green"] == total else None)
        )  # fmt: skip
    return kpis


def _rag(value: float, green: float, amber: float) -> str:
    return "green" if value >= green else "amber" if value >= amber else "red"


def definitions(
    reg: Any, net: network.NetworkAnalysis, overview: Any, window_days: int
) -> list[tuple[str, str]]:
    """How the figures are defined, with the settings stored in this workspace."""
    settings: ReadinessSettings = overview.settings if overview is not None else ReadinessSettings()
    barrier = (
        f"the first element (A→D→K→A→R) scoring {settings.barrier_max} or below"
        if settings.barrier_mode == "first"
        else "the lowest-scoring element"
    )
    info = net.betweenness_info
    between = (
        "exact"
        if info.mode == "exact"
        else f"sampled from {info.pivots:,} pivots (seed {info.seed})"
        + (f", relative error about {info.relative_error:.0%}" if info.relative_error else "")
    )
    return [
        (
            "Readiness",
            "The mean of the five ADKAR scores (1–5) of a person's latest round for this "
            f"initiative. Barrier point: {barrier}. Ready: readiness ≥ "
            f"{settings.ready_threshold:g} and no barrier point.",
        ),
        (
            "Rounds",
            f"Assessments dated within {window_days} days of a round's first date form one "
            "round; a person's figure for a round is their latest assessment in it.",
        ),
        (
            "Power/interest grid",
            f"A score of {reg.grid.high_threshold} or more (on 1–5) counts as high. Key player: "
            "high power and interest; keep satisfied: high power; keep informed: high "
            "interest; monitor: neither.",
        ),
        (
            "Network influence",
            f"PageRank (damping {net.settings.damping:g}) on the influence network of "
            f"{net.tie_count:,} ties, scaled so the most influential person scores 100. Reach: "
            "share of people within two steps. Betweenness (brokers): " + between + ".",
        ),
        (
            "Hot spot",
            f"Network influence in the top {1 - net.settings.hot_spot_quantile:.0%} and readiness "
            "below "
            f"{net.settings.hot_spot_readiness_below:g}, a barrier at awareness or desire, or a "
            "resistant attitude.",
        ),
        (
            "People",
            "The headline figures count people, not bodies such as committees; the register "
            "lists both.",
        ),
        (
            "Power (rated)",
            "The 1–5 power score typed in (Mendelow); not the same as network influence.",
        ),
        (
            "Key resister",
            "Attitude resistant or unaware, or latest desire ≤ "
            f"{net.settings.key_resister_desire_max}, and a key player or in the top "
            f"{net.settings.key_people().top_influence_share:.0%} of network influence; ordered "
            "by network influence. The same list on the dashboard, the Network page, the "
            "register filter, the go-live criterion and this workbook.",
        ),
        (
            "Champion",
            "Supportive or leading, ready, never a key resister; chosen as a set, each adding "
            "the most not-ready people within two steps downstream. Not the forecast's people "
            "to win over.",
        ),
        (
            "Attitude",
            "SEAM scale: " + ", ".join(a.label.lower() for a in Attitude) + ".",
        ),
    ]


def forecast_from(run: Any) -> ForecastFigures:
    """The Summary's forecast section from a ``forecast_service.ForecastRun``: the same
    verdict and back-test sentences as the Readiness page and ``cmio forecast``."""
    from cmio_desktop.services.readiness import forecast as forecast_service

    overall = forecast_service.overall_row(run)
    bt = run.backtest
    has_errors = bt is not None and bt.people > 0
    return ForecastFigures(
        verdict=forecast_service.verdict(run),
        today=overall.today,
        without_plan=overall.without_plan if overall.without_plan is not None else overall.go_live,
        with_plan=overall.go_live,
        backtest_text=forecast_service.backtest_text(run),
        backtest_round=bt.label if bt is not None else None,
        mae_model=bt.mae_model if has_errors else None,
        mae_no_change=bt.mae_no_change if has_errors else None,
        mae_last_trend=bt.mae_last_trend if has_errors else None,
    )
