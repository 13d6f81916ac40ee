"""Table models of the Readiness page: who dropped since their previous round, per-group
forecast today vs go-live (with and without the plan), and the people to win over — column
lists over the common :class:`TableModel` (sorted inside the model, never through a proxy)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cmio_desktop.services.readiness.forecast import ChampionRow
from cmio_desktop.services.readiness.overview import DropRow
from cmio_desktop.ui.common.table_model import Column, TableModel

_DOWN, _UP = "#b91c1c", "#047857"


def _signed(value: Callable[[Any], float | None]) -> Callable[[Any], str | None]:
    """Red for a fall, green for a rise, nothing for (about) no change."""

    def colour(row: Any) -> str | None:
        v = value(row)
        return None if v is None or abs(v) < 0.005 else (_DOWN if v < 0 else _UP)

    return colour


def _with_tooltip(columns: list[Column], tooltip: Callable[[Any], str]) -> list[Column]:
    from dataclasses import replace

    return [replace(c, tooltip=tooltip) for c in columns]


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    return "" if value is None else fmt.format(value)


def dropped_model(parent: Any = None) -> TableModel:
    columns: list[Column] = [
        Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
        Column("Group", lambda r: r.group, lambda r: r.group.casefold()),
        Column(
            "Readiness",
            lambda r: f"{r.previous:.1f} → {r.latest:.1f}",
            lambda r: r.latest,
            align="right",
            header_tip="Readiness in the previous round → in the latest round",
        ),
        Column(
            "Change",
            lambda r: f"{r.change:+.1f}",
            lambda r: r.change,
            align="right",
            colour=_signed(lambda r: r.change),
        ),
        Column(
            "Barrier",
            lambda r: r.barrier.label if r.barrier else "none",
            lambda r: r.barrier.value if r.barrier else "~",
        ),
    ]
    return TableModel(_with_tooltip(columns, _drop_tooltip), lambda r: r.person_id, parent)


def _drop_tooltip(r: DropRow) -> str:
    return (
        f"{r.name}: readiness {r.previous:.1f} on {r.previous_on:%d %b %Y} → {r.latest:.1f} on "
        f"{r.assessed_on:%d %b %Y}"
    )


def group_forecast_model(parent: Any = None) -> TableModel:
    columns: list[Column] = [
        Column("Group", lambda r: r.label, lambda r: r.label.casefold()),
        Column(
            "N", lambda r: f"{r.people:,}", lambda r: r.people, align="right", header_tip="People"
        ),
        Column("Today", lambda r: f"{r.today:.2f}", lambda r: r.today, align="right"),
        Column(
            "No plan",
            lambda r: _num(r.without_plan),
            lambda r: r.without_plan or 0.0,
            align="right",
            header_tip="Forecast mean readiness on go-live day without the plan's activities",
        ),
        Column(
            "Plan",
            lambda r: f"{r.go_live:.2f}",
            lambda r: r.go_live,
            align="right",
            header_tip="Forecast mean readiness on go-live day with the plan",
        ),
        Column(
            "Plan adds",
            lambda r: _num(r.plan_effect, "{:+.2f}"),
            lambda r: r.plan_effect or 0.0,
            align="right",
            colour=_signed(lambda r: r.plan_effect),
            header_tip="What the plan adds at go-live (with minus without)",
        ),
        Column(
            "What-if",
            lambda r: _num(r.scenario),
            lambda r: r.scenario or 0.0,
            align="right",
            header_tip="Go-live readiness in the what-if scenario",
        ),
        Column(
            "Lift",
            lambda r: _num(r.scenario_change, "{:+.2f}"),
            lambda r: r.scenario_change or 0.0,
            align="right",
            colour=_signed(lambda r: r.scenario_change),
            header_tip="What-if minus plan at go-live",
        ),
    ]
    return TableModel(columns, lambda r: r.label, parent)


def win_over_model(parent: Any = None) -> TableModel:
    columns: list[Column] = [
        Column("#", lambda r: str(r.rank), lambda r: r.rank, align="right"),
        Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
        Column("Department", lambda r: r.department, lambda r: r.department.casefold()),
        Column(
            "Gain",
            lambda r: f"+{r.gain:.3f}",
            lambda r: r.gain,
            align="right",
            header_tip="Marginal gain in predicted mean readiness at go-live",
        ),
        Column(
            "After",
            lambda r: f"{r.predicted_mean:.3f}",
            lambda r: r.predicted_mean,
            align="right",
            header_tip="Predicted mean readiness at go-live with this pick",
        ),
    ]
    return TableModel(_with_tooltip(columns, _win_over_tooltip), lambda r: r.person_id, parent)


def _win_over_tooltip(r: ChampionRow) -> str:
    return (
        f"{r.name} ({r.department}), readiness today {r.readiness_today:.1f}: winning them over "
        f"adds {r.gain:+.4f} to the predicted mean at go-live"
    )
